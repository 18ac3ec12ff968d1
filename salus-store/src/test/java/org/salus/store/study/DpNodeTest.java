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
    NodeReply reply =
        dp(1).release(study(0.5, 1), SNAPSHOT, StepRequest.once(0), new CohortSize(40));
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
  void aStatisticThatIsNotTheAnalysisReleaseIsRefusedBeforeAnyCharge() {
    NodeReply reply =
        dp(1).release(study(0.5, 1), SNAPSHOT, StepRequest.once(0), new Moments(10, 5.0, 3.0));
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

  private static final String BMI =
      "{ \"type\": \"measurement\", \"name\": \"bmi\", \"code\": { \"system\":"
          + " \"http://loinc.org\", \"code\": \"39156-5\" }, \"window\": { \"from\": -730,"
          + " \"to\": 0 } }";

  private static Study with(String analyses, String privacy) {
    return StudyJson.read(
        """
        { "id": "s2", "title": "t", "purpose": "HRESCH",
          "cohort": { "indexDate": { "fixed": "2020-01-01" }, "age": { "min": 18, "max": 90 } },
          "analyses": [ %s ], "nodes": ["a"], "privacy": { %s } }
        """
            .formatted(analyses, privacy));
  }

  private static Study glm(int rounds) {
    return with(
        "{ \"type\": \"glm\", \"family\": \"gaussian\", \"outcome\": "
            + BMI
            + ", \"covariates\": [ { \"type\": \"age\" } ] }",
        "\"rho\": 0.6, \"glmRounds\": "
            + rounds
            + ", \"bounds\": { \"bmi\": { \"lower\": 10, \"upper\": 60 },"
            + " \"age\": { \"lower\": 0, \"upper\": 120 } }");
  }

  private static org.salus.core.stats.GlmStatistics glmStats() {
    return new org.salus.core.stats.GlmStatistics(
        2, new double[] {50, 2500, 2500, 130000}, new double[] {1250, 62000}, 900, 50, List.of());
  }

  @Test
  void aOneRoundAnalysisIsReleasedOnceOnly() {
    NodeDp dp = dp(1);
    Study study = study(0.5, 1);
    assertThat(dp.release(study, SNAPSHOT, StepRequest.once(0), new CohortSize(40)))
        .isInstanceOf(NodeReply.Released.class);
    int entries = ledger.size();
    assertThat(dp.release(study, SNAPSHOT, StepRequest.once(0), new CohortSize(40)))
        .isInstanceOfSatisfying(
            NodeReply.Failed.class, f -> assertThat(f.code()).isEqualTo(NodeDp.RELEASES_EXHAUSTED));
    assertThat(ledger).hasSize(entries);
    assertThat(NodeBudgets.open(dir).spent("alice")).isEqualTo(0.5);
  }

  @Test
  void everyGlmRoundIsChargedItsShareAndNoRoundPastTheDeclaredOnes() {
    NodeDp dp = dp(1);
    Study study = glm(3);
    double[] beta = {20, 0.05};
    for (int round = 0; round < 3; round++) {
      assertThat(dp.release(study, SNAPSHOT, StepRequest.at(0, round, beta), glmStats()))
          .isInstanceOf(NodeReply.Released.class);
    }
    NodeReply fourth = dp.release(study, SNAPSHOT, StepRequest.at(0, 3, beta), glmStats());
    assertThat(fourth)
        .isInstanceOfSatisfying(
            NodeReply.Failed.class, f -> assertThat(f.code()).isEqualTo(NodeDp.RELEASES_EXHAUSTED));
    assertThat(dp.charges()).extracting(NodeDp.Charge::round).containsExactly(0, 1, 2);
    assertThat(dp.charges())
        .allSatisfy(
            c ->
                assertThat(c.cost().rho())
                    .isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-15)));
    assertThat(ledger.stream().filter(e -> e instanceof LedgerEvent.BudgetCharge)).hasSize(3);
    assertThat(NodeBudgets.open(dir).spent("alice"))
        .isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void aGlmRoundPastTheBudgetReleasesNothing() {
    NodeBudgets.open(dir).setLimit(Optional.of("alice"), 0.5);
    NodeDp dp = dp(1);
    Study study = glm(3);
    double[] beta = {20, 0.05};
    dp.release(study, SNAPSHOT, StepRequest.at(0, 0, beta), glmStats());
    dp.release(study, SNAPSHOT, StepRequest.at(0, 1, beta), glmStats());
    int entries = ledger.size();
    assertThat(dp.release(study, SNAPSHOT, StepRequest.at(0, 2, beta), glmStats()))
        .isInstanceOfSatisfying(
            NodeReply.Failed.class, f -> assertThat(f.code()).isEqualTo("dp.budget.exceeded"));
    assertThat(ledger).hasSize(entries);
    assertThat(dp.charges()).hasSize(2);
  }

  @Test
  void theZeroNoiseModeNeedsItsExactPhrase() throws Exception {
    java.nio.file.Files.writeString(dir.resolve(NodeBudgets.FILE), "test.zero-noise=true\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dp(1))
        .isInstanceOfSatisfying(
            org.salus.core.error.SalusException.class,
            e -> assertThat(e.code()).isEqualTo("dp.zero-noise.invalid"));
    java.nio.file.Files.writeString(
        dir.resolve(NodeBudgets.FILE),
        NodeBudgets.ZERO_NOISE_KEY + "=" + NodeBudgets.ZERO_NOISE_CONSENT + "\n");
    NodeDp dp = dp(1);
    assertThat(dp.zeroNoise()).isTrue();
    Study study = glm(3);
    NodeReply r =
        dp.release(study, SNAPSHOT, StepRequest.at(0, 0, new double[] {1, 1}), glmStats());
    assertThat(((NodeReply.Released) r).statistic()).isEqualTo(glmStats());
    // still charged and logged
    assertThat(dp.charges()).hasSize(1);
  }

  @Test
  void noisySumsHaveTheCalibratedSpreadInTheirUnits() {
    Study study =
        with(
            "{ \"type\": \"summary\", \"variable\": " + BMI + " }",
            "\"rho\": 0.5, \"bounds\": { \"bmi\": { \"lower\": 10, \"upper\": 60 } }");
    org.salus.core.study.Analysis a = study.analyses().get(0);
    SplittableRandom random = new SplittableRandom(8);
    Moments exact = new Moments(100, 2500, 70000);
    int runs = 3000;
    double sum = 0;
    double squares = 0;
    long mu = 0;
    for (int i = 0; i < runs; i++) {
      DpRelease.Noisy n =
          new DpRelease(0.5, 1, random, false).release(study, a, exact, new double[0]);
      double d = ((Moments) n.statistic()).sum() - exact.sum();
      sum += d;
      squares += d * d;
      mu = n.noise().mu();
    }
    double unit = 60.0 / DpRelease.RESOLUTION; // Δ = max |bound| = 60 per S units
    double expected = 2 * mu * unit * unit;
    double mean = sum / runs;
    assertThat(squares / runs - mean * mean)
        .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(10));
    // and μ is the smallest that fits ρ = 0.5 for 3 coordinates of L2 (S+1)√3
    double l2 = (DpRelease.RESOLUTION + 1) * Math.sqrt(3);
    assertThat(org.salus.core.dp.ZcdpCost.skellam(3 * (DpRelease.RESOLUTION + 1), l2, mu).rho())
        .isLessThanOrEqualTo(0.5);
    assertThat(org.salus.core.dp.ZcdpCost.skellam(3 * (DpRelease.RESOLUTION + 1), l2, mu - 1).rho())
        .isGreaterThan(0.5);
  }

  @Test
  void riskTablesCoverTheDeclaredDomainAndStayValid() {
    String endpoint =
        "{ \"conditions\": [ { \"system\": \"http://snomed.info/sct\", \"code\": \"230690007\" } ],"
            + " \"cutoff\": \"2023-01-01\" }";
    Study study =
        with(
            "{ \"type\": \"kaplanMeier\", \"endpoint\": " + endpoint + ", \"binDays\": 100 }",
            "\"rho\": 0.05, \"followUpDays\": 399");
    org.salus.core.study.Analysis a = study.analyses().get(0);
    org.salus.core.stats.RiskTable exact =
        new org.salus.core.stats.RiskTable(
            List.of(
                new org.salus.core.stats.RiskTable.Row("all", 0, 3, 5),
                new org.salus.core.stats.RiskTable.Row("all", 7, 4, 9))); // past the horizon
    for (int seed = 0; seed < 50; seed++) {
      var noisy =
          (org.salus.core.stats.RiskTable)
              new DpRelease(0.05, 1, new SplittableRandom(seed), false)
                  .release(study, a, exact, new double[0])
                  .statistic();
      // bins 0..3 only (day 399 is in bin 3); every row valid by construction
      assertThat(noisy.rows()).allSatisfy(r -> assertThat(r.bin()).isBetween(0, 3));
    }
    var zero =
        (org.salus.core.stats.RiskTable)
            new DpRelease(0.05, 1, new SplittableRandom(1), true)
                .release(study, a, exact, new double[0])
                .statistic();
    // past the horizon: censored at it (an exit of the last bin, no event)
    assertThat(zero.rows())
        .containsExactly(
            new org.salus.core.stats.RiskTable.Row("all", 0, 3, 5),
            new org.salus.core.stats.RiskTable.Row("all", 3, 0, 9));
  }

  @Test
  void tablesAreReleasedOverTheWholeDeclaredDomain() {
    Study study =
        with(
            "{ \"type\": \"contingency\", \"rows\": { \"type\": \"sex\" },"
                + " \"columns\": { \"type\": \"ageBand\", \"width\": 20 } }",
            "\"rho\": 0.5");
    org.salus.core.study.Analysis a = study.analyses().get(0);
    var exact =
        new org.salus.core.stats.CrossTable(
            new java.util.TreeMap<>(
                java.util.Map.of(new org.salus.core.stats.CrossTable.Cell("female", "40"), 12L)));
    java.util.Set<String> rows = new java.util.TreeSet<>();
    java.util.Set<String> cols = new java.util.TreeSet<>();
    for (int seed = 0; seed < 30; seed++) {
      var t =
          (org.salus.core.stats.CrossTable)
              new DpRelease(0.5, 1, new SplittableRandom(seed), false)
                  .release(study, a, exact, new double[0])
                  .statistic();
      rows.addAll(t.rows());
      cols.addAll(t.columns());
    }
    // cells the node has no one in get noise too (presence would otherwise leak)
    assertThat(rows).containsExactlyInAnyOrder("female", "male", "other", "unknown");
    assertThat(cols).containsExactlyInAnyOrder("0", "20", "40", "60", "80");
  }

  // --- secure aggregation: shares sized for the threshold t (docs/secagg-dp.md)

  private static final int BINS = 2000;

  /** One histogram of BINS + 2 cells under ρ, secure: every cell carries an independent share. */
  private static Study wideHistogram(double rho) {
    StringBuilder edges = new StringBuilder("0");
    for (int i = 1; i <= BINS; i++) {
      edges.append(", ").append(i);
    }
    return StudyJson.read(
        """
        { "id": "s3", "title": "t", "purpose": "HRESCH",
          "cohort": { "indexDate": { "fixed": "2020-01-01" } },
          "analyses": [ { "type": "histogram", "variable": { "type": "age" }, "edges": [ %s ] } ],
          "nodes": ["a", "b", "c"], "privacy": { "rho": %s, "secureAggregation": true } }
        """
            .formatted(edges, rho));
  }

  private static org.salus.core.stats.BinCounts emptyBins() {
    List<Double> edges = new ArrayList<>();
    for (int i = 0; i <= BINS; i++) {
      edges.add((double) i);
    }
    return new org.salus.core.stats.BinCounts(edges, java.util.Collections.nCopies(BINS, 0L), 0, 0);
  }

  private NodeDp dpAt(String name, int nodes, long seed) {
    Path d = dir.resolve(name);
    try {
      java.nio.file.Files.createDirectories(d);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new NodeDp(
        nodes,
        "alice",
        NodeBudgets.open(d),
        e -> {
          ledger.add(e);
          return ledger.size() - 1;
        },
        new SplittableRandom(seed));
  }

  private static long[] units(NodeDp.VectorRelease r) {
    return ((NodeDp.Vector) r).units();
  }

  private static double variance(long[] v) {
    double sum = 0;
    double squares = 0;
    for (long x : v) {
      sum += x;
      squares += (double) x * x;
    }
    double mean = sum / v.length;
    return squares / v.length - mean * mean;
  }

  /**
   * The node's share into a secure sum is Sk(μ/t), variance 2μ/t, not the n-split's 2μ/n: over the
   * 2002 cells of one release (exact counts 0), within 10 % (the variance of an estimate over 2002
   * near-normal draws has a relative SD of about 3 %; 2μ/t and 2μ/n differ by 50 % at n = 3, t =
   * 2).
   */
  @Test
  void aSecureShareHasTheVarianceOfSkellamMuOverTheThreshold() {
    Study study = wideHistogram(0.5);
    NodeDp dp = dpAt("a", 3, 21);
    long[] v = units(dp.releaseVector(study, SNAPSHOT, StepRequest.once(0), emptyBins(), 2));
    NodeDp.Charge c = dp.charges().get(0);
    assertThat(c.shares()).isEqualTo(2);
    assertThat(v).hasSize(BINS + 2);
    assertThat(variance(v))
        .isCloseTo(2.0 * c.mu() / 2, org.assertj.core.data.Percentage.withPercentage(10));
    // the plain release of the same node still splits over its n = 3 nodes
    NodeDp plain = dpAt("p", 3, 22);
    NodeReply r = plain.release(study, SNAPSHOT, StepRequest.once(0), emptyBins());
    org.salus.core.stats.BinCounts b =
        (org.salus.core.stats.BinCounts) ((NodeReply.Released) r).statistic();
    long[] cells = b.counts().stream().mapToLong(Long::longValue).toArray();
    assertThat(plain.charges().get(0).shares()).isEqualTo(3);
    assertThat(plain.charges().get(0).mu()).isEqualTo(c.mu());
    assertThat(variance(cells))
        .isCloseTo(2.0 * c.mu() / 3, org.assertj.core.data.Percentage.withPercentage(10));
  }

  /**
   * Three nodes of a secure study (t = 2), one drops before its vector is summed: the total of the
   * other two carries Sk(2·μ/2) = Sk(μ), variance at least 2μ (within the estimate's spread); under
   * the old n-split it would carry only 2·(2μ/3) = 4μ/3.
   */
  @Test
  void aSecureSumOverTheThresholdAfterADropoutCarriesAtLeastTheCalibratedNoise() {
    Study study = wideHistogram(0.5);
    int t = 2;
    List<long[]> vectors = new ArrayList<>();
    List<NodeDp> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NodeDp dp = dpAt("n" + i, 3, 30 + i);
      nodes.add(dp);
      vectors.add(units(dp.releaseVector(study, SNAPSHOT, StepRequest.once(0), emptyBins(), t)));
    }
    // node 2 dropped: the hub can only unmask the sum of nodes 0 and 1
    long[] total = new long[BINS + 2];
    for (int k = 0; k < total.length; k++) {
      total[k] = vectors.get(0)[k] + vectors.get(1)[k];
    }
    long mu = nodes.get(0).charges().get(0).mu();
    assertThat(nodes.get(0).charges().get(0).muCarried(2)).isEqualTo((double) mu);
    assertThat(nodes.get(0).charges().get(0).muCarried(3)).isEqualTo(1.5 * mu);
    assertThat(variance(total)).isGreaterThanOrEqualTo(0.92 * 2 * mu);
    assertThat(variance(total)).isLessThanOrEqualTo(1.08 * 2 * mu);
    // all three summed: Sk(3μ/2), the cost of keeping the guarantee at any two survivors
    long[] all = new long[BINS + 2];
    for (int k = 0; k < all.length; k++) {
      all[k] = total[k] + vectors.get(2)[k];
    }
    assertThat(variance(all))
        .isCloseTo(3.0 * mu, org.assertj.core.data.Percentage.withPercentage(10));
    // the charged ρ is the study's, for Sk(μ) on the total
    assertThat(nodes).allSatisfy(n -> assertThat(n.charges().get(0).cost().rho()).isEqualTo(0.5));
  }

  @Test
  void aSecureReleaseNeedsAThresholdOfAtLeastOne() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                dp(3)
                    .releaseVector(
                        wideHistogram(0.5), SNAPSHOT, StepRequest.once(0), emptyBins(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ledger).isEmpty();
  }
}
