package org.salus.store.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
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
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.Hash;
import org.salus.store.ledger.VerifyReport;

/**
 * A running node appends from request threads while its publisher reads the head and its studies
 * ask for proofs (which close the appender to use the connection): none of them may fail, and every
 * acknowledged entry is in the log.
 */
class NodeLedgerThreadsTest {

  @TempDir Path tmp;

  private static LedgerEvent event(int i) {
    return new LedgerEvent.TrustListChange(
        new EventContext(
            Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i),
            ActorId.ofCredential("node:test"),
            Optional.empty(),
            "HOPERAT",
            List.of("trust"),
            Optional.empty()),
        Hash.of(bytes(i)));
  }

  private static byte[] bytes(int i) {
    byte[] b = new byte[Hash.SIZE];
    b[0] = (byte) i;
    b[1] = (byte) (i >> 8);
    return b;
  }

  @Test
  void appendsHeadsAndProofsFromManyThreadsAllSucceed() throws Exception {
    try (Node node = NodeDirectory.init(tmp.resolve("n"), NodeOptions.defaults());
        NodeLedger ledger = NodeLedger.open(node)) {
      ledger.append(event(0));
      ledger.checkpoint(Instant.parse("2026-12-01T00:00:00Z"));
      int writers = 4;
      int each = 50;
      ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      try {
        for (int w = 0; w < writers; w++) {
          int base = 1 + w * each;
          work.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                      ledger.append(event(base + i));
                    }
                    return null;
                  }));
        }
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 200; i++) {
                    assertThat(ledger.head().size()).isPositive();
                  }
                  return null;
                }));
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 20; i++) {
                    assertThat(ledger.proof(0).entry()).isNotEmpty();
                  }
                  return null;
                }));
        start.countDown();
        for (Future<?> f : work) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(ledger.head().size()).isEqualTo(1 + writers * each);
      VerifyReport report = ledger.verify(List.of());
      assertThat(report.ok()).as(report.toString()).isTrue();
    }
  }
}
