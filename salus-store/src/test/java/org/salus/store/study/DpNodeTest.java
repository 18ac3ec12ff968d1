package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.Moments;
import org.salus.core.study.Study;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.StepRequest;

/** {@link NodeDp} on its own: the order of charge, ledger and release, and what is refused. */
class DpNodeTest {

  @TempDir Path dir;

  private final List<LedgerEvent> ledger = new ArrayList<>();

  private static final Hash SNAPSHOT = Hash.of(new byte[32]);

  private static Study study(double rho, int analyses) {
    String one = "{ \"type\": \"count\" }";
    return StudyJson.read(
        """
        { "id": "s1", "title": "t", "purpose": "HRESCH",
          "cohort": { "indexDate": { "fixed": "2020-01-01" } },
          "analyses": [ %s ], "nodes": ["a"], "privacy": { "rho": %s } }
        """
            .formatted(String.join(", ", java.util.Collections.nCopies(analyses, one)), rho));
  }

  private NodeDp dp(int nodes) {
    return new NodeDp(
        nodes,
        "alice",
        NodeBudgets.open(dir),
        e -> {
          ledger.add(e);
          return ledger.size() - 1;
        },
        new SplittableRandom(5));
  }

  @Test
  void aReleaseIsChargedAndLoggedOnceAndTheContributionOnce() {
    NodeDp dp = dp(2);
    Study study = study(0.5, 2);
    assertThat(dp.release(study, SNAPSHOT, StepRequest.once(0), new CohortSize(40)))
        .isInstanceOf(NodeReply.Released.class);
    assertThat(dp.release(study, SNAPSHOT, StepRequest.once(1), new CohortSize(40)))
        .isInstanceOf(NodeReply.Released.class);
    assertThat(ledger)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("BudgetCharge", "StudyContribution", "BudgetCharge");
    assertThat(dp.contribution()).contains(1L);
    assertThat(dp.charges()).extracting(NodeDp.Charge::entry).containsExactly(0L, 2L);
    // ρ 0.5 split over two analyses
    assertThat(dp.charges()).allSatisfy(c -> assertThat(c.cost().rho()).isEqualTo(0.25));
    assertThat(NodeBudgets.open(dir).spent("alice")).isEqualTo(0.5);
    LedgerEvent.StudyContribution c = (LedgerEvent.StudyContribution) ledger.get(1);
    assertThat(c.studyId()).isEqualTo("s1");
    assertThat(c.consentSnapshot()).isEqualTo(SNAPSHOT);
  }

  @Test
  void overTheLimitNothingIsLoggedSpentOrReleased() {
    NodeBudgets.open(dir).setLimit(Optional.of("alice"), 0.3);
    NodeReply reply = dp(1).release(study(0.5, 1), SNAPSHOT, 0, new CohortSize(40));
    assertThat(reply)
        .isInstanceOfSatisfying(
            NodeReply.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo("dp.budget.exceeded");
              assertThat(f.message()).contains("limit ρ=0.3").contains("ρ=0.5");
            });
    assertThat(ledger).isEmpty();
    assertThat(NodeBudgets.open(dir).spent("alice")).isZero();
  }

  @Test
  void analysesWithoutADpVariantAreRefusedBeforeAnyCharge() {
    NodeReply reply = dp(1).release(study(0.5, 1), SNAPSHOT, 0, new Moments(10, 5.0, 3.0));
    assertThat(reply)
        .isInstanceOfSatisfying(
            NodeReply.Failed.class, f -> assertThat(f.code()).isEqualTo("dp.analysis.unsupported"));
    assertThat(ledger).isEmpty();
    assertThat(NodeBudgets.open(dir).spent("alice")).isZero();
  }

  @Test
  void theMuFitsTheStepRhoAndIsTheSmallestThatDoes() {
    var noise = NodeDp.noiseFor(0.5, 5, 3);
    long mu = noise.totalMu().numerator().longValueExact();
    assertThat(noise.cost().rho()).isLessThanOrEqualTo(0.1);
    assertThat(org.salus.core.dp.ZcdpCost.skellam(1, mu - 1).rho()).isGreaterThan(0.1);
  }
}
