package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.dp.PrivacyBudgetExceededException;
import org.salus.core.dp.ZcdpCost;

class NodeBudgetsTest {

  @TempDir Path dir;

  @Test
  void sessionsOpenedBeforeEachOtherCannotSpendTheSameRemainingRho() throws Exception {
    NodeBudgets.open(dir).setLimit(Optional.of("alice"), 1.0);
    // Two study sessions of one researcher, each holding the budgets as read when it started.
    NodeBudgets first = NodeBudgets.open(dir);
    NodeBudgets second = NodeBudgets.open(dir);
    first.charge("alice", ZcdpCost.rho(0.75));
    assertThatThrownBy(() -> second.charge("alice", ZcdpCost.rho(0.5)))
        .isInstanceOf(PrivacyBudgetExceededException.class);
    assertThat(second.charge("alice", ZcdpCost.rho(0.25))).isEqualTo(1.0);
    assertThat(NodeBudgets.open(dir).spent("alice")).isEqualTo(1.0);
  }

  @Test
  void concurrentChargesNeverPassTheLimitAndNoneIsLost() throws Exception {
    NodeBudgets.open(dir).setLimit(Optional.of("alice"), 1.0);
    int threads = 8;
    int attemptsEach = 10;
    // 1/16 is exact in binary: the total of the accepted charges is exact too.
    ZcdpCost cost = ZcdpCost.rho(1.0 / 16);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> accepted = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        NodeBudgets session = NodeBudgets.open(dir);
        accepted.add(
            pool.submit(
                () -> {
                  start.await();
                  int ok = 0;
                  for (int i = 0; i < attemptsEach; i++) {
                    try {
                      session.charge("alice", cost);
                      ok++;
                    } catch (PrivacyBudgetExceededException e) {
                      assertThat(e.code()).isEqualTo("dp.budget.exceeded");
                    }
                  }
                  return ok;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : accepted) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(16);
      assertThat(NodeBudgets.open(dir).spent("alice")).isEqualTo(1.0);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRefusedChargeWritesNothingAndOtherResearchersAreUntouched() throws Exception {
    NodeBudgets b = NodeBudgets.open(dir);
    b.setLimit(Optional.of("alice"), 0.2);
    b.charge("bob", ZcdpCost.rho(0.5));
    byte[] before = Files.readAllBytes(dir.resolve(NodeBudgets.FILE));
    assertThatThrownBy(() -> b.charge("alice", ZcdpCost.rho(0.3)))
        .isInstanceOf(PrivacyBudgetExceededException.class);
    assertThat(Files.readAllBytes(dir.resolve(NodeBudgets.FILE))).isEqualTo(before);
    assertThat(NodeBudgets.open(dir).spent("alice")).isZero();
    assertThat(NodeBudgets.open(dir).spent("bob")).isEqualTo(0.5);
    assertThat(dir.resolve(NodeBudgets.FILE + ".tmp")).doesNotExist();
  }
}
