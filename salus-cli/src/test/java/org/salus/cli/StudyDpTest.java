package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.cli.StudyRunCommandTest.Run;
import org.salus.core.dp.DistributedNoise;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.CohortSize;
import org.salus.core.study.Study;
import org.salus.core.study.run.StudyResult;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeLedger;
import org.salus.store.study.NodeBudgets;
import org.salus.store.study.NodeDp;
import org.salus.store.study.StudyJson;

/**
 * A study with ρ over DuckDB nodes: each node adds its Skellam share so the total noise has the
 * calibrated variance 2μ (with one node, all of it); budgets refuse the run that would pass the
 * limit with nothing released by that node; charges and contributions are ledger entries; the
 * receipt verifies offline and a tampered one is refused.
 */
class StudyDpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[] SIZES = {30, 25, 20};

  @TempDir Path tmp;

  private final List<Path> dirs = new ArrayList<>();

  @BeforeEach
  void nodes() throws Exception {
    for (int i = 0; i < SIZES.length; i++) {
      Path dir = tmp.resolve("node-" + i);
      Run init =
          StudyRunCommandTest.salus("node", "init", "--dir", dir.toString(), "--name", "node-" + i);
      assertThat(init.exit()).as(init.err()).isZero();
      Run set =
          StudyRunCommandTest.salus(
              "consent", "defaults", "--dir", dir.toString(), "--set", "HRESCH=opt-out");
      assertThat(set.exit()).as(set.err()).isZero();
      try (Node node = NodeDirectory.open(dir);
          Connection c = node.store().database().connect();
          PreparedStatement p =
              c.prepareStatement("INSERT INTO person VALUES (?, ?, ?, ?, 'day', ?)")) {
        for (int k = 0; k < SIZES[i]; k++) {
          LocalDate birth = LocalDate.of(1950 + k, 3, 1);
          p.setString(1, "rec-" + i + "-" + k);
          p.setString(2, "p-" + i + "-" + k);
          p.setString(3, k % 2 == 0 ? "female" : "male");
          p.setObject(4, birth);
          p.setInt(5, birth.getYear());
          p.executeUpdate();
        }
      }
      dirs.add(dir);
    }
  }

  private static Study study(double rho) {
    return StudyJson.read(
        """
        {
          "id": "dp-count",
          "title": "Noisy count",
          "purpose": "HRESCH",
          "cohort": { "indexDate": { "fixed": "2020-01-01" }, "age": { "min": 18, "max": 90 } },
          "analyses": [ { "type": "count" } ],
          "nodes": ["node-0", "node-1", "node-2"],
          "privacy": { "rho": %s }
        }
        """
            .formatted(rho));
  }

  /** Empirical variance of the summed shares of {@code nodes} nodes over many draws. */
  private static double variance(DistributedNoise noise, int nodes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int runs = 4000;
    double sum = 0;
    double squares = 0;
    for (int r = 0; r < runs; r++) {
      long total = 0;
      for (int k = 0; k < nodes; k++) {
        total += ((CohortSize) NodeDp.noisy(new CohortSize(0), noise, random)).n();
      }
      sum += total;
      squares += (double) total * total;
    }
    double mean = sum / runs;
    return squares / runs - mean * mean;
  }

  @Test
  void threeNodesTogetherCarryTheCalibratedVariance() {
    DistributedNoise noise = NodeDp.noiseFor(0.05, 1, 3);
    double calibrated = 2 * noise.totalMu().toDouble(); // Var Sk(μ) = 2μ
    // 4000 draws: the sample variance's relative standard error is about √(2/4000) ≈ 2.2 %.
    assertThat(variance(noise, 3, 7))
        .isCloseTo(calibrated, org.assertj.core.data.Percentage.withPercentage(10));
    // one share alone carries only a third of it
    assertThat(variance(noise, 1, 8))
        .isCloseTo(calibrated / 3, org.assertj.core.data.Percentage.withPercentage(10));
  }

  @Test
  void oneNodeAddsAllTheNoise() {
    DistributedNoise noise = NodeDp.noiseFor(0.05, 1, 1);
    assertThat(variance(noise, 1, 9))
        .isCloseTo(
            2 * noise.totalMu().toDouble(), org.assertj.core.data.Percentage.withPercentage(10));
  }

  @Test
  void histogramsGetNoiseInEveryCell() {
    BinCounts exact = new BinCounts(List.of(0.0, 1.0, 2.0), List.of(10L, 10L), 0, 0);
    BinCounts noisy =
        (BinCounts) NodeDp.noisy(exact, NodeDp.noiseFor(0.01, 1, 1), new SplittableRandom(3));
    assertThat(noisy.edges()).isEqualTo(exact.edges());
    assertThat(noisy).isNotEqualTo(exact);
  }

  @Test
  void countsOverThreeNodesAreNoisyAroundTheExactCount() {
    SplittableRandom random = new SplittableRandom(1);
    List<Long> counts = new ArrayList<>();
    for (Path dir : dirs) {
      NodeBudgets.open(dir).setLimit(Optional.empty(), 100);
    }
    for (int r = 0; r < 8; r++) {
      StudyResult result =
          StudyRunCommand.run(study(0.05), dirs, "alice", Optional.of(random)).result();
      assertThat(result.analyses().get(0).contributors()).hasSize(3);
      counts.add(((StudyResult.Count) result.analyses().get(0).outcome()).n());
    }
    long exact = 75;
    double sigma = Math.sqrt(2 * NodeDp.noiseFor(0.05, 1, 3).totalMu().toDouble());
    assertThat(counts)
        .allSatisfy(c -> assertThat(Math.abs(c - exact)).isLessThan((long) (8 * sigma)));
    assertThat(counts).anySatisfy(c -> assertThat(c).isNotEqualTo(exact));
  }

  @Test
  void theRunThatWouldPassTheLimitIsRefusedWithNothingReleased() {
    Run set =
        StudyRunCommandTest.salus("budget", "set", "--dir", dirs.get(1).toString(), "--rho", "1.0");
    assertThat(set.exit()).as(set.err()).isZero();
    for (Path dir : List.of(dirs.get(0), dirs.get(2))) {
      NodeBudgets.open(dir).setLimit(Optional.empty(), 100);
    }
    for (int k = 1; k <= 2; k++) {
      StudyResult ok = StudyRunCommand.run(study(0.4), dirs, "bob", Optional.empty()).result();
      assertThat(ok.analyses().get(0).contributors()).contains("node-1");
    }
    StudyResult third = StudyRunCommand.run(study(0.4), dirs, "bob", Optional.empty()).result();
    StudyResult.Answer count = third.analyses().get(0);
    assertThat(count.contributors()).containsExactlyInAnyOrder("node-0", "node-2");
    assertThat(count.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.node()).isEqualTo("node-1");
              assertThat(i.code()).isEqualTo("dp.budget.exceeded");
              assertThat(i.explanation())
                  .contains("limit ρ=1.0")
                  .contains("ρ=0.8")
                  .contains("ρ=0.4");
            });
    assertThat(NodeBudgets.open(dirs.get(1)).spent("bob"))
        .isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
    // another researcher still has the whole default budget
    StudyResult carol = StudyRunCommand.run(study(0.4), dirs, "carol", Optional.empty()).result();
    assertThat(carol.analyses().get(0).contributors()).contains("node-1");
    Run show = StudyRunCommandTest.salus("budget", "show", "--dir", dirs.get(1).toString());
    assertThat(show.out()).contains("bob: spent ρ=0.8").contains("carol: spent ρ=0.4");
  }

  @Test
  void theReceiptVerifiesAndATamperedOneIsRefused() throws Exception {
    Path spec = tmp.resolve("study.json");
    Files.writeString(spec, JSON.writeValueAsString(JSON.readTree(studyJson())));
    Path receipt = tmp.resolve("receipt.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "study",
                "run",
                spec.toString(),
                "--researcher",
                "dora",
                "--receipt",
                receipt.toString()));
    for (Path dir : dirs) {
      args.addAll(List.of("--node", dir.toString()));
    }
    Run run = StudyRunCommandTest.salus(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isZero();

    JsonNode r = JSON.readTree(receipt.toFile());
    assertThat(r.get("rho").asDouble()).isEqualTo(0.3);
    assertThat(r.get("mechanism").asText()).isEqualTo("skellam");
    assertThat(r.get("nodes")).hasSize(3);
    // the ledger holds the charge and the contribution, for this study
    JsonNode first = r.get("nodes").get(0);
    LedgerEvent contribution =
        EntryCodec.decode(ProofFile.parse(first.get("proof").asText()).entry());
    assertThat(contribution)
        .isInstanceOfSatisfying(
            LedgerEvent.StudyContribution.class,
            c -> assertThat(c.studyId()).isEqualTo("dp-count"));
    LedgerEvent charge =
        EntryCodec.decode(
            ProofFile.parse(first.get("charges").get(0).get("proof").asText()).entry());
    assertThat(charge)
        .isInstanceOfSatisfying(
            LedgerEvent.BudgetCharge.class, c -> assertThat(c.delta()).isEqualTo(NodeDp.DELTA));

    List<String> keys = logKeys();
    assertThat(verify(receipt, keys).exit()).as(verify(receipt, keys).err()).isZero();

    ObjectNode moreRho = (ObjectNode) JSON.readTree(receipt.toFile());
    moreRho.put("rho", 0.1);
    Path tampered = tmp.resolve("tampered-rho.json");
    JSON.writeValue(tampered.toFile(), moreRho);
    Run refused = verify(tampered, keys);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("receipt.invalid");

    ObjectNode badProof = (ObjectNode) JSON.readTree(receipt.toFile());
    ObjectNode node0 = (ObjectNode) badProof.get("nodes").get(0);
    ObjectNode charge0 = (ObjectNode) node0.get("charges").get(0);
    charge0.put("rho", 0.2);
    Path tamperedCharge = tmp.resolve("tampered-charge.json");
    JSON.writeValue(tamperedCharge.toFile(), badProof);
    assertThat(verify(tamperedCharge, keys).exit()).isEqualTo(1);

    ObjectNode otherIndex = (ObjectNode) JSON.readTree(receipt.toFile());
    ((ObjectNode) otherIndex.get("nodes").get(1))
        .put("proof", first.get("charges").get(0).get("proof").asText());
    Path swapped = tmp.resolve("tampered-proof.json");
    JSON.writeValue(swapped.toFile(), otherIndex);
    assertThat(verify(swapped, keys).exit()).isEqualTo(1);

    // a wrong key for one node is refused
    List<String> wrong = new ArrayList<>(keys);
    wrong.set(0, "node-0=" + keys.get(1).substring("node-1=".length()));
    assertThat(verify(receipt, wrong).exit()).isEqualTo(1);
  }

  private static String studyJson() {
    return """
        {
          "id": "dp-count",
          "title": "Noisy count",
          "purpose": "HRESCH",
          "cohort": { "indexDate": { "fixed": "2020-01-01" }, "age": { "min": 18, "max": 90 } },
          "analyses": [ { "type": "count" } ],
          "nodes": ["node-0", "node-1", "node-2"],
          "privacy": { "rho": 0.3 }
        }
        """;
  }

  private List<String> logKeys() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < dirs.size(); i++) {
      try (Node node = NodeDirectory.open(dirs.get(i));
          NodeLedger l = LedgerCommand.openLedger(node, dirs.get(i))) {
        keys.add("node-" + i + "=" + l.logKey().encode());
      }
    }
    return keys;
  }

  private static Run verify(Path receipt, List<String> keys) {
    List<String> args = new ArrayList<>(List.of("receipt", "verify", receipt.toString()));
    for (String k : keys) {
      args.addAll(List.of("--log-key", k));
    }
    return StudyRunCommandTest.salus(args.toArray(String[]::new));
  }
}
