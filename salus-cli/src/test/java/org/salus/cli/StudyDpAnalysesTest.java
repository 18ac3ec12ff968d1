package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.cli.StudyRunCommandTest.Run;
import org.salus.core.error.SalusException;
import org.salus.core.study.Study;
import org.salus.core.study.run.StudyResult;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.study.NodeBudgets;
import org.salus.store.study.StudyJson;

/**
 * Every analysis type under ρ over three DuckDB nodes: in the zero-noise test mode the answers
 * equal the plain federated answers exactly; with noise every analysis answers and the receipt has
 * a verified charge for every release; a node whose budget runs out mid-study releases nothing
 * more; missing bounds are named.
 */
class StudyDpAnalysesTest {

  private static final int[] SIZES = {70, 60, 50};
  private static final String STROKE = "230690007";

  @TempDir Path tmp;

  private List<Path> dirs;
  private StudyNodes fixture;

  @BeforeEach
  void nodes() throws Exception {
    fixture = new StudyNodes(tmp, SIZES, 17);
    dirs = fixture.dirs;
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  static void insert(Connection c, String prefix, int n, Random random) throws Exception {
    try (PreparedStatement p =
            c.prepareStatement("INSERT INTO person VALUES (?, ?, ?, ?, 'day', ?)");
        PreparedStatement d =
            c.prepareStatement(
                "INSERT INTO condition_occurrence (record_key, person_key,"
                    + " condition_source_vocabulary, condition_source_code, condition_start_date)"
                    + " VALUES (?, ?, 'http://snomed.info/sct', ?, ?)");
        PreparedStatement m =
            c.prepareStatement(
                "INSERT INTO measurement (record_key, person_key, measurement_source_vocabulary,"
                    + " measurement_source_code, measurement_datetime, value_as_number)"
                    + " VALUES (?, ?, 'http://loinc.org', '39156-5',"
                    + " TIMESTAMP '2019-05-01 10:00:00', ?)")) {
      for (int k = 0; k < n; k++) {
        String key = prefix + "-" + k;
        LocalDate birth =
            LocalDate.of(1935 + random.nextInt(65), 1 + random.nextInt(12), 1 + random.nextInt(28));
        int age = 2020 - birth.getYear();
        double bmi = 18 + 20 * random.nextDouble();
        boolean female = random.nextBoolean();
        p.setString(1, "rec-" + key);
        p.setString(2, key);
        p.setString(3, female ? "female" : "male");
        p.setObject(4, birth);
        p.setInt(5, birth.getYear());
        p.executeUpdate();
        double eta = -6 + 0.05 * age + 0.08 * bmi;
        if (random.nextDouble() < 1 / (1 + Math.exp(-eta))) {
          condition(d, "dm-" + key, key, "44054006", LocalDate.of(2015, 6, 1));
        }
        if (random.nextDouble() < 0.4) {
          condition(
              d, "st-" + key, key, STROKE, LocalDate.of(2020, 1, 2).plusDays(random.nextInt(1000)));
        }
        m.setString(1, "bmi-" + key);
        m.setString(2, key);
        m.setDouble(3, bmi);
        m.executeUpdate();
      }
    }
  }

  private static void condition(
      PreparedStatement d, String record, String key, String code, LocalDate start)
      throws Exception {
    d.setString(1, record);
    d.setString(2, key);
    d.setString(3, code);
    d.setObject(4, start);
    d.executeUpdate();
  }

  private static final String BMI =
      """
      { "type": "measurement", "name": "bmi",
        "code": { "system": "http://loinc.org", "code": "39156-5" },
        "window": { "from": -730, "to": 0 } }\
      """;

  private static final String DIABETES =
      """
      { "type": "hasCondition", "name": "diabetes",
        "codes": [{ "system": "http://snomed.info/sct", "code": "44054006" }] }\
      """;

  private static final String ANALYSES =
      """
        { "type": "count" },
        { "type": "summary", "variable": %1$s },
        { "type": "histogram", "variable": %1$s, "edges": [15, 20, 25, 30, 35, 40] },
        { "type": "contingency", "rows": { "type": "sex" }, "columns": %2$s },
        { "type": "quantiles", "variable": %1$s, "min": 10, "max": 50, "bins": 2 },
        { "type": "glm", "family": "binomial", "outcome": %2$s,
          "covariates": [ { "type": "age" }, { "type": "sexIs", "sex": "female" }, %1$s ] },
        { "type": "glm", "family": "gaussian", "outcome": %1$s,
          "covariates": [ { "type": "age" }, { "type": "sexIs", "sex": "female" } ] },
        { "type": "kaplanMeier", "binDays": 1000,
          "endpoint": { "conditions": [{ "system": "http://snomed.info/sct", "code": "%3$s" }],
                        "cutoff": "2023-01-01" } }
      """
          .formatted(BMI, DIABETES, STROKE);

  static Study study(String privacy) {
    return StudyJson.read(
        """
        {
          "id": "dp-all",
          "title": "Every analysis",
          "purpose": "HRESCH",
          "cohort": { "indexDate": { "fixed": "2020-01-01" }, "age": { "min": 18, "max": 90 } },
          "analyses": [ %s ],
          "nodes": ["node-0", "node-1", "node-2"],
          "privacy": { %s }
        }
        """
            .formatted(ANALYSES, privacy));
  }

  static final String BOUNDS =
      "\"bounds\": { \"bmi\": { \"lower\": 10, \"upper\": 60 },"
          + " \"age\": { \"lower\": 0, \"upper\": 120 } }, \"followUpDays\": 1500";

  private static Study dpStudy(double rho, int rounds) {
    return study("\"rho\": " + rho + ", \"glmRounds\": " + rounds + ", " + BOUNDS);
  }

  private void zeroNoise() throws Exception {
    for (Path dir : dirs) {
      Files.writeString(
          dir.resolve(NodeBudgets.FILE),
          Files.readString(dir.resolve(NodeBudgets.FILE))
              + NodeBudgets.ZERO_NOISE_KEY
              + "="
              + NodeBudgets.ZERO_NOISE_CONSENT
              + "\n");
    }
  }

  private static List<StudyResult.Outcome> outcomes(StudyResult r) {
    return r.analyses().stream().map(StudyResult.Answer::outcome).toList();
  }

  private static void sameFit(
      int i, org.salus.core.stats.GlmResult expected, org.salus.core.stats.GlmResult got) {
    assertThat(got.family()).isEqualTo(expected.family());
    assertThat(got.n()).as("analysis %d n", i).isEqualTo(expected.n());
    assertThat(got.iterations()).as("analysis %d iterations", i).isEqualTo(expected.iterations());
    assertThat(got.deviance())
        .as("analysis %d deviance", i)
        .isCloseTo(expected.deviance(), org.assertj.core.api.Assertions.withinPercentage(1e-10));
    assertThat(got.coefficients()).hasSameSizeAs(expected.coefficients());
    for (int c = 0; c < got.coefficients().size(); c++) {
      var e = expected.coefficients().get(c);
      var g = got.coefficients().get(c);
      assertThat(g.name()).isEqualTo(e.name());
      assertThat(g.estimate())
          .as("analysis %d %s", i, e.name())
          .isCloseTo(
              e.estimate(),
              org.assertj.core.api.Assertions.within(1e-12 * (1 + Math.abs(e.estimate()))));
      assertThat(g.standardError())
          .as("analysis %d SE %s", i, e.name())
          .isCloseTo(
              e.standardError(),
              org.assertj.core.api.Assertions.within(1e-12 * (1 + Math.abs(e.standardError()))));
    }
  }

  @Test
  void inTheZeroNoiseModeEveryAnswerEqualsThePlainFederatedOne() throws Exception {
    StudyResult plain =
        StudyRunCommand.run(study(BOUNDS), dirs, "alice", Optional.empty()).result();
    zeroNoise();
    StudyRunCommand.Ran dp = StudyRunCommand.run(dpStudy(1.0, 25), dirs, "alice", Optional.empty());
    List<StudyResult.Outcome> expected = outcomes(plain);
    assertThat(expected).noneMatch(o -> o instanceof StudyResult.NotComputed);
    assertThat(expected.stream().map(o -> o.getClass().getSimpleName()))
        .containsExactly(
            "Count", "Summary", "Histogram", "Table", "Quantiles", "Glm", "Glm", "Survival");
    List<StudyResult.Outcome> got = outcomes(dp.result());
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i) instanceof StudyResult.Glm e && got.get(i) instanceof StudyResult.Glm g) {
        // The clamped design table is a different SQL query from the plain one, and a database
        // may sum doubles in another order: the fit agrees to rounding, not bit for bit.
        sameFit(i, e.result(), g.result());
      } else {
        assertThat(got.get(i)).as("analysis %d", i).isEqualTo(expected.get(i));
      }
    }
    StudyReceipt receipt = dp.receipt().orElseThrow();
    assertThat(receipt.zeroNoise()).isTrue();
    assertThat(receipt.mechanism()).contains("ZERO-NOISE TEST MODE");
    assertThat(receipt.parameters()).containsKey("WARNING");
    // verify refuses a zero-noise receipt unless told this is a test
    Path file = tmp.resolve("zero-noise-receipt.json");
    receipt.write(file);
    List<String> args = new ArrayList<>(List.of("receipt", "verify", file.toString()));
    for (String k : logKeysArgs()) {
      args.addAll(List.of("--log-key", k));
    }
    Run refused = StudyRunCommandTest.salus(args.toArray(String[]::new));
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("receipt.zero-noise").contains("ZERO-NOISE TEST MODE");
    args.add("--accept-zero-noise");
    Run accepted = StudyRunCommandTest.salus(args.toArray(String[]::new));
    assertThat(accepted.exit()).as(accepted.err()).isZero();
  }

  @Test
  void clampingIsPartOfTheReleaseEvenWithoutNoise() throws Exception {
    zeroNoise();
    Study narrow =
        study(
            "\"rho\": 1.0, \"bounds\": { \"bmi\": { \"lower\": 10, \"upper\": 25 },"
                + " \"age\": { \"lower\": 0, \"upper\": 120 } }, \"followUpDays\": 1500");
    StudyResult r = StudyRunCommand.run(narrow, dirs, "alice", Optional.empty()).result();
    StudyResult.Summary s = (StudyResult.Summary) r.analyses().get(1).outcome();
    StudyResult plain =
        StudyRunCommand.run(study(BOUNDS), dirs, "alice", Optional.empty()).result();
    StudyResult.Summary p = (StudyResult.Summary) plain.analyses().get(1).outcome();
    assertThat(s.n()).isEqualTo(p.n());
    assertThat(s.mean()).isLessThan(p.mean()).isLessThanOrEqualTo(25);
  }

  @Test
  void withNoiseEveryAnalysisAnswersAndTheReceiptCoversEveryRelease() throws Exception {
    int rounds = 8;
    StudyRunCommand.Ran ran =
        StudyRunCommand.run(
            dpStudy(4.0, rounds), dirs, "alice", Optional.of(new SplittableRandom(3)));
    StudyResult r = ran.result();
    for (StudyResult.Answer a : r.analyses()) {
      assertThat(a.contributors()).as(a.type() + " " + a.issues()).hasSize(3);
    }
    StudyResult.Count count = (StudyResult.Count) r.analyses().get(0).outcome();
    assertThat(count.n()).isBetween(150L, 210L);
    // a GLM on noisy statistics either fits or says clearly why not, never throws
    for (int i : new int[] {5, 6}) {
      StudyResult.Outcome o = r.analyses().get(i).outcome();
      if (o instanceof StudyResult.NotComputed n) {
        assertThat(n.code()).startsWith("study.");
      } else {
        assertThat(((StudyResult.Glm) o).result().iterations()).isLessThan(rounds);
      }
    }
    StudyReceipt receipt = ran.receipt().orElseThrow();
    assertThat(receipt.zeroNoise()).isFalse();
    assertThat(receipt.mechanism()).isEqualTo("skellam");
    for (StudyReceipt.NodePart part : receipt.nodes()) {
      // six one-round analyses and the rounds of the two GLMs, each a charge with its proof
      assertThat(part.charges()).hasSizeGreaterThan(6);
      assertThat(part.charges().stream().mapToInt(StudyReceipt.Entry::analysis).distinct())
          .hasSize(8);
      assertThat(part.rhoSum()).isLessThanOrEqualTo(4.0 + 1e-9);
      assertThat(NodeBudgets.open(tmp.resolve(part.node())).spent("alice"))
          .isCloseTo(part.rhoSum(), org.assertj.core.data.Offset.offset(1e-9));
    }
    Path file = tmp.resolve("receipt.json");
    receipt.write(file);
    assertThat(StudyReceipt.read(file).verify(logKeys())).hasSize(3);
  }

  @Test
  void aNodeWhoseBudgetRunsOutMidStudyReleasesNothingMore() {
    // ρ 1.6 over 8 analyses: 0.2 each; a GLM round costs 0.2 / 4 = 0.05. Node 1 has 0.42.
    NodeBudgets.open(dirs.get(1)).setLimit(Optional.empty(), 0.42);
    StudyRunCommand.Ran ran =
        StudyRunCommand.run(dpStudy(1.6, 4), dirs, "bob", Optional.of(new SplittableRandom(5)));
    StudyResult r = ran.result();
    // count, summary: 0.4; then neither a 0.2 analysis nor a 0.05 GLM round fits: all refused
    assertThat(r.analyses().get(0).contributors()).contains("node-1");
    assertThat(r.analyses().get(1).contributors()).contains("node-1");
    for (int i = 2; i < r.analyses().size(); i++) {
      StudyResult.Answer a = r.analyses().get(i);
      assertThat(a.contributors()).as(a.type()).doesNotContain("node-1");
      assertThat(a.issues())
          .as(a.type())
          .anySatisfy(
              issue -> {
                assertThat(issue.node()).isEqualTo("node-1");
                assertThat(issue.code()).isEqualTo("dp.budget.exceeded");
              });
    }
    assertThat(NodeBudgets.open(dirs.get(1)).spent("bob"))
        .isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
    StudyReceipt.NodePart node1 =
        ran.receipt().orElseThrow().nodes().stream()
            .filter(p -> p.node().equals("node-1"))
            .findFirst()
            .orElseThrow();
    assertThat(node1.charges()).extracting(StudyReceipt.Entry::analysis).containsExactly(0, 1);
  }

  @Test
  void missingBoundsAndHorizonAreNamed() {
    assertThatThrownBy(() -> study("\"rho\": 1.0"))
        .isInstanceOfSatisfying(
            SalusException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("privacy.bounds.bmi")
                    .contains("privacy.bounds.age")
                    .contains("privacy.followUpDays"));
  }

  private List<String> logKeysArgs() {
    return logKeys().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().encode())
        .toList();
  }

  private java.util.Map<String, org.salus.core.ledger.note.VerifierKey> logKeys() {
    java.util.Map<String, org.salus.core.ledger.note.VerifierKey> keys = new java.util.HashMap<>();
    for (int i = 0; i < dirs.size(); i++) {
      try (Node node = NodeDirectory.open(dirs.get(i));
          org.salus.store.node.NodeLedger l = LedgerCommand.openLedger(node, dirs.get(i))) {
        keys.put("node-" + i, l.logKey());
      }
    }
    return keys;
  }
}
