package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.cli.StudyRunCommandTest.Run;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.AdvertiseKeys;
import org.salus.core.secagg.EncryptedShares;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.secagg.UnmaskResponse;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOpening;
import org.salus.core.study.run.SecurePreparation;
import org.salus.core.study.run.SecureRound;
import org.salus.core.study.run.StepRequest;
import org.salus.core.study.run.StudyCoordinator;
import org.salus.core.study.run.StudyNode;
import org.salus.core.study.run.StudyResult;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.study.LocalStudyNode;
import org.salus.store.study.NodeBudgets;
import org.salus.store.study.SecureVectors;
import org.salus.store.study.StudyJson;

/**
 * Secure aggregation in studies over three DuckDB nodes (docs/secagg-dp.md, "Secure aggregation in
 * studies"): in the zero-noise mode every DP analysis equals the plain federated one (counts
 * exactly, real sums within the fixed point's rounding); the hub never holds a node's plain vector;
 * a node that withholds or dies mid-round is a named dropout and the sum is exact over the others;
 * too few survivors fail the step with the protocol's code.
 */
class SecureStudyTest {

  private static final int[] SIZES = {70, 60, 50};

  @TempDir Path tmp;

  private StudyNodes fixture;
  private List<Path> dirs;

  @BeforeEach
  void nodes() throws Exception {
    fixture = new StudyNodes(tmp, SIZES, 17);
    dirs = fixture.dirs;
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private static final String SECURE = "\"secureAggregation\": true, ";

  @Test
  void inTheZeroNoiseModeEveryDpAnalysisEqualsThePlainFederatedOne() throws Exception {
    StudyResult plain =
        StudyRunCommand.run(
                StudyDpAnalysesTest.study(StudyDpAnalysesTest.BOUNDS),
                dirs,
                "alice",
                Optional.empty())
            .result();
    fixture.zeroNoise();
    Study secure =
        StudyDpAnalysesTest.study(
            SECURE + "\"rho\": 1.0, \"glmRounds\": 25, " + StudyDpAnalysesTest.BOUNDS);
    StudyRunCommand.Ran ran = StudyRunCommand.run(secure, dirs, "alice", Optional.empty());
    long n = ((StudyResult.Count) plain.analyses().get(0).outcome()).n();
    for (int i = 0; i < plain.analyses().size(); i++) {
      StudyResult.Answer e = plain.analyses().get(i);
      StudyResult.Answer g = ran.result().analyses().get(i);
      assertThat(g.contributors())
          .as("analysis %d", i)
          .containsExactly("node-0", "node-1", "node-2");
      StudyResult.SecureSum sa = g.secureAggregation().orElseThrow();
      assertThat(sa.threshold()).isEqualTo(2);
      assertThat(sa.contributors()).containsExactly("node-0", "node-1", "node-2");
      assertThat(sa.dropouts()).isEmpty();
      assertThat(e.secureAggregation()).isEmpty();
      switch (e.outcome()) {
        case StudyResult.Summary ps -> {
          // Σv and Σv² travel in fixed point, 256 units per bound (60 and 3600): each of three
          // nodes rounds by at most half a unit
          StudyResult.Summary gs = (StudyResult.Summary) g.outcome();
          assertThat(gs.n()).isEqualTo(ps.n());
          assertThat(gs.mean()).isCloseTo(ps.mean(), within(3 * 0.5 * 60 / 256.0 / ps.n()));
          assertThat(gs.variance())
              .isCloseTo(ps.variance(), within(3 * (0.5 * 3600 / 256.0 + 1) / (ps.n() - 1)));
        }
        case StudyResult.Glm pg -> {
          var eg = pg.result();
          var gg = ((StudyResult.Glm) g.outcome()).result();
          assertThat(gg.n()).isEqualTo(eg.n());
          // XᵀWX, XᵀWz and the deviance travel in fixed point (256 units per sensitivity, which
          // grows with β): the fit moves by far less than its own uncertainty
          for (int c = 0; c < eg.coefficients().size(); c++) {
            var ec = eg.coefficients().get(c);
            var gc = gg.coefficients().get(c);
            assertThat(gc.estimate())
                .as("analysis %d coefficient %d, SE %s", i, c, ec.standardError())
                .isCloseTo(ec.estimate(), within(0.1 * ec.standardError()));
            assertThat(gc.standardError())
                .as("analysis %d SE %d", i, c)
                .isCloseTo(ec.standardError(), within(0.02 * ec.standardError()));
          }
        }
        default -> assertThat(g.outcome()).as("analysis %d", i).isEqualTo(e.outcome());
      }
    }
    assertThat(n).isEqualTo(180);
    StudyReceipt receipt = ran.receipt().orElseThrow();
    assertThat(receipt.parameters().get("secure-aggregation")).contains("bonawitz-ccs2017");
    assertThat(receipt.parameters().get("secagg.0"))
        .isEqualTo("threshold 2, rounds 1, summed node-0 node-1 node-2");
    assertThat(receipt.parameters().get("secagg.5")).startsWith("threshold 2, rounds ");
    Path file = tmp.resolve("receipt.json");
    receipt.write(file);
    assertThat(StudyReceipt.read(file).parameters()).isEqualTo(receipt.parameters());
    // salus receipt verify still checks it (a zero-noise receipt only when told it is a test)
    List<String> args =
        new ArrayList<>(List.of("receipt", "verify", file.toString(), "--accept-zero-noise"));
    for (int i = 0; i < dirs.size(); i++) {
      try (Node node = NodeDirectory.open(dirs.get(i));
          org.salus.store.node.NodeLedger l = LedgerCommand.openLedger(node, dirs.get(i))) {
        args.addAll(List.of("--log-key", "node-" + i + "=" + l.logKey().encode()));
      }
    }
    Run verified = StudyRunCommandTest.salus(args.toArray(String[]::new));
    assertThat(verified.exit()).as(verified.err()).isZero();
  }

  @Test
  void withNoiseEveryAnalysisIsSummedSecurelyAndPostProcessedAtTheHub() throws Exception {
    int rounds = 8;
    Study secure =
        StudyDpAnalysesTest.study(
            SECURE + "\"rho\": 4.0, \"glmRounds\": " + rounds + ", " + StudyDpAnalysesTest.BOUNDS);
    StudyRunCommand.Ran ran =
        StudyRunCommand.run(secure, dirs, "alice", Optional.of(new java.util.SplittableRandom(3)));
    for (StudyResult.Answer a : ran.result().analyses()) {
      assertThat(a.contributors()).as(a.type() + " " + a.issues()).hasSize(3);
      assertThat(a.secureAggregation().orElseThrow().dropouts()).isEmpty();
    }
    long n = ((StudyResult.Count) ran.result().analyses().get(0).outcome()).n();
    assertThat(n).isBetween(150L, 210L);
    // the noisy risk table was cut to 0 ≤ events ≤ exits at the hub, after the sum
    StudyResult.Outcome km = ran.result().analyses().get(7).outcome();
    assertThat(km).isInstanceOf(StudyResult.Survival.class);
    for (int i : new int[] {5, 6}) {
      StudyResult.Outcome o = ran.result().analyses().get(i).outcome();
      if (o instanceof StudyResult.NotComputed nc) {
        assertThat(nc.code()).startsWith("study.");
      } else {
        assertThat(((StudyResult.Glm) o).result().iterations()).isLessThan(rounds);
        assertThat(ran.result().analyses().get(i).secureAggregation().orElseThrow().rounds())
            .isGreaterThan(1)
            .isLessThanOrEqualTo(rounds);
      }
    }
    StudyReceipt receipt = ran.receipt().orElseThrow();
    assertThat(receipt.mechanism()).isEqualTo("skellam");
    for (StudyReceipt.NodePart part : receipt.nodes()) {
      assertThat(part.charges().stream().mapToInt(StudyReceipt.Entry::analysis).distinct())
          .hasSize(8);
      // every share sized for the threshold t = 2 of three nodes, not for n = 3
      assertThat(part.charges()).allSatisfy(e -> assertThat(e.shares()).isEqualTo(2));
    }
    long mu = receipt.nodes().get(0).charges().get(0).mu();
    assertThat(receipt.parameters().get("noise-split")).contains("Sk(mu/t)");
    // all three summed: the count's total carries 3μ/2
    assertThat(receipt.parameters().get("mu-carried.0"))
        .startsWith("3*" + mu + "/2 = ")
        .contains("t = 2, summed s = 3");
  }

  @Test
  void aYamlDocumentAsksForSecureAggregationTheSameWay() {
    Study s =
        StudyJson.read(
            """
            id: yaml-secure
            title: Counts
            purpose: HRESCH
            cohort: { indexDate: { fixed: "2020-01-01" } }
            analyses: [ { type: count } ]
            nodes: [node-0, node-1, node-2, node-3]
            privacy:
              secureAggregation:
                threshold: 3
            """);
    assertThat(s.privacy().secureAggregation()).isTrue();
    assertThat(s.privacy().secureThreshold()).hasValue(3);
    assertThat(s.privacy().secureThresholdFor(4)).isEqualTo(3);
    assertThat(s.privacy().secureThresholdFor(2)).isEqualTo(3); // may exceed n: the round fails
  }

  @Test
  void aNodeKeepsOneOpenRoundAndDropsItWhenANewOneOpensOrTheStudyEnds() throws Exception {
    LocalStudyNode n = fixture.local(0);
    Study study = counts(true);
    n.join(study);
    java.util.TreeSet<Integer> ids = new java.util.TreeSet<>(List.of(1, 2, 3));
    assertThat(n.secureOpen(new SecureRound("r1", StepRequest.once(0), 1, ids, 2, 1)))
        .isInstanceOf(SecureOpening.Advertised.class);
    assertThat(n.secureOpen(new SecureRound("r2", StepRequest.once(0), 1, ids, 2, 1)))
        .isInstanceOf(SecureOpening.Advertised.class);
    KeyDirectory empty = new KeyDirectory(new java.util.TreeMap<>());
    assertThatThrownBy(() -> n.secureShareKeys("r1", empty))
        .isInstanceOfSatisfying(
            SalusException.class, e -> assertThat(e.code()).isEqualTo("secagg.round.unknown"));
    n.close();
    assertThatThrownBy(() -> n.secureShareKeys("r2", empty))
        .isInstanceOfSatisfying(
            SalusException.class, e -> assertThat(e.code()).isEqualTo("secagg.round.unknown"));
  }

  private static final String COUNTS =
      """
      {
        "id": "secure-counts",
        "title": "Counts",
        "purpose": "HRESCH",
        "cohort": { "indexDate": { "fixed": "2020-01-01" }, "age": { "min": 18, "max": 90 } },
        "analyses": [
          { "type": "count" },
          { "type": "histogram", "variable": { "type": "age" }, "edges": [18, 40, 60, 91] },
          { "type": "contingency", "rows": { "type": "sex" },
            "columns": { "type": "hasCondition", "name": "diabetes",
              "codes": [{ "system": "http://snomed.info/sct", "code": "44054006" }] } }
        ],
        "nodes": ["node-0", "node-1", "node-2"],
        "privacy": { %s }
      }
      """;

  private static Study counts(boolean secure) {
    return StudyJson.read(COUNTS.formatted(secure ? "\"secureAggregation\": true" : ""));
  }

  /**
   * A node that hands every phase to another and records what it gave the hub. It stands for a node
   * without one-trip rounds (as the interface's defaults answer), so these studies run the classic
   * four phases that the tests below kill nodes in.
   */
  private static class Recording extends ForwardingStudyNode {
    final List<MaskedInput> masked = new ArrayList<>();

    Recording(StudyNode node) {
      super(node);
    }

    @Override
    public MaskedInput secureMaskedInput(String roundId, ShareDelivery delivery) {
      MaskedInput m = super.secureMaskedInput(roundId, delivery);
      masked.add(m);
      return m;
    }

    @Override
    public List<AdvertiseKeys> securePrepare(SecurePreparation preparation) {
      throw new SalusException(SECAGG_UNSUPPORTED, name() + " has no one-trip rounds");
    }
  }

  /** A node process that dies at a phase: its session is gone, every later call fails. */
  private static final class Killed extends Recording {
    final String phase;

    Killed(StudyNode node, String phase) {
      super(node);
      this.phase = phase;
    }

    private void maybeDie(String now) {
      if (now.equals(phase)) {
        node.close();
        throw new SalusException("study.node.unreachable", name() + " did not answer");
      }
    }

    @Override
    public EncryptedShares secureShareKeys(String roundId, KeyDirectory directory) {
      maybeDie("share-keys");
      return super.secureShareKeys(roundId, directory);
    }

    @Override
    public MaskedInput secureMaskedInput(String roundId, ShareDelivery delivery) {
      maybeDie("masked-input");
      return super.secureMaskedInput(roundId, delivery);
    }

    @Override
    public UnmaskResponse secureUnmask(String roundId, UnmaskRequest request) {
      maybeDie("unmask");
      return super.secureUnmask(roundId, request);
    }
  }

  @Test
  void theHubHoldsOnlyMaskedVectorsAndTheirSumIsNotThePlainSum() throws Exception {
    List<Recording> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(new Recording(fixture.local(i)));
    }
    StudyResult secure = StudyNodes.run(counts(true), nodes);
    // each node's plain vectors, from a plain run of the same analyses at the same nodes
    Study plainStudy = counts(false);
    List<long[]> plainVectors = new ArrayList<>();
    long[][] plainSums = new long[3][];
    for (int i = 0; i < 3; i++) {
      LocalStudyNode n = fixture.local(i);
      assertThat(n.join(plainStudy)).isInstanceOf(Joining.Joined.class);
      for (int a = 0; a < 3; a++) {
        long[] v =
            SecureVectors.encode(
                plainStudy,
                StepRequest.once(a),
                ((NodeReply.Released) n.step(StepRequest.once(a))).statistic());
        plainVectors.add(v);
        plainSums[a] = plainSums[a] == null ? v.clone() : add(plainSums[a], v);
      }
    }
    StudyResult plain =
        StudyNodes.run(plainStudy, List.of(fixture.local(0), fixture.local(1), fixture.local(2)));
    for (int a = 0; a < 3; a++) {
      assertThat(secure.analyses().get(a).outcome()).isEqualTo(plain.analyses().get(a).outcome());
      long[] maskedSum = new long[plainSums[a].length];
      for (int i = 0; i < 3; i++) {
        long[] m = nodes.get(i).masked.get(a).masked();
        assertThat(m).as("node %d analysis %d", i, a).isNotEqualTo(plainVectors.get(i * 3 + a));
        maskedSum = add(maskedSum, m);
      }
      // the pairwise masks cancel in the sum, the self-masks do not: only unmasking gives it
      assertThat(maskedSum).as("analysis %d", a).isNotEqualTo(plainSums[a]);
    }
    // the hub cannot go around the masks: a plain step of a secure study is refused
    LocalStudyNode direct = fixture.local(0);
    direct.join(counts(true));
    NodeReply refused = direct.step(StepRequest.once(0));
    assertThat(refused)
        .isInstanceOfSatisfying(
            NodeReply.Failed.class,
            f -> assertThat(f.code()).isEqualTo(LocalStudyNode.SECAGG_REQUIRED));
  }

  private static long[] add(long[] a, long[] b) {
    long[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b[i];
    }
    return out;
  }

  @Test
  void aNodeThatWithholdsIsADropoutAndTheSumIsExactOverTheOthers() throws Exception {
    StudyResult r =
        StudyNodes.run(
            counts(true),
            List.of(
                fixture.local(0),
                fixture.local(1),
                fixture.local(2, new DisclosurePolicy(10_000, 0.33))));
    StudyResult plainTwo =
        StudyNodes.run(counts(false), List.of(fixture.local(0), fixture.local(1)));
    for (int a = 0; a < 3; a++) {
      StudyResult.Answer answer = r.analyses().get(a);
      assertThat(answer.outcome()).isEqualTo(plainTwo.analyses().get(a).outcome());
      assertThat(answer.contributors()).containsExactly("node-0", "node-1");
      assertThat(answer.issues())
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.node()).isEqualTo("node-2");
                assertThat(i.kind()).isEqualTo("withheld");
                assertThat(i.code()).startsWith("disclosure.");
                assertThat(i.remedy()).isNotBlank();
              });
      String rule = answer.issues().get(0).code();
      assertThat(answer.secureAggregation().orElseThrow().dropouts())
          .containsExactly(new StudyResult.Dropout("node-2", 0, "advertise", rule));
    }
  }

  @Test
  void aNodeKilledMidRoundIsNamedWithItsPhaseAndTheOthersAreSummedExactly() throws Exception {
    Killed dead = new Killed(fixture.local(2), "masked-input");
    StudyResult r = StudyNodes.run(counts(true), List.of(fixture.local(0), fixture.local(1), dead));
    StudyResult plainTwo =
        StudyNodes.run(counts(false), List.of(fixture.local(0), fixture.local(1)));
    StudyResult.Answer first = r.analyses().get(0);
    // node-2 shared its keys, then died: the hub rebuilt its key from the others' shares
    assertThat(first.outcome()).isEqualTo(plainTwo.analyses().get(0).outcome());
    assertThat(first.contributors()).containsExactly("node-0", "node-1");
    assertThat(first.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.node()).isEqualTo("node-2");
              assertThat(i.code()).isEqualTo("study.node.unreachable");
              assertThat(i.explanation()).contains("phase masked-input");
            });
    assertThat(first.secureAggregation().orElseThrow().dropouts())
        .containsExactly(
            new StudyResult.Dropout("node-2", 0, "masked-input", "study.node.unreachable"));
    // its session is gone: in the next analyses it fails at once
    for (int a = 1; a < 3; a++) {
      assertThat(r.analyses().get(a).outcome()).isEqualTo(plainTwo.analyses().get(a).outcome());
      assertThat(r.analyses().get(a).secureAggregation().orElseThrow().dropouts())
          .singleElement()
          .satisfies(d -> assertThat(d.phase()).isEqualTo("advertise"));
    }
  }

  @Test
  void aNodeDyingAfterItsMaskedInputIsStillInTheSum() throws Exception {
    Killed late = new Killed(fixture.local(2), "unmask");
    StudyResult r = StudyNodes.run(counts(true), List.of(fixture.local(0), fixture.local(1), late));
    StudyResult plainAll =
        StudyNodes.run(
            counts(false), List.of(fixture.local(0), fixture.local(1), fixture.local(2)));
    StudyResult.Answer first = r.analyses().get(0);
    assertThat(first.outcome()).isEqualTo(plainAll.analyses().get(0).outcome());
    assertThat(first.contributors()).containsExactly("node-0", "node-1", "node-2");
    assertThat(first.secureAggregation().orElseThrow().dropouts())
        .containsExactly(new StudyResult.Dropout("node-2", 0, "unmask", "study.node.unreachable"));
  }

  @Test
  void belowTheThresholdTheStepFailsWithTheProtocolsCode() throws Exception {
    StudyResult r =
        StudyNodes.run(
            counts(true),
            List.of(
                fixture.local(0),
                new Killed(fixture.local(1), "share-keys"),
                new Killed(fixture.local(2), "share-keys")));
    StudyResult.Answer first = r.analyses().get(0);
    assertThat(first.outcome())
        .isInstanceOfSatisfying(
            StudyResult.NotComputed.class,
            n -> {
              assertThat(n.code()).isEqualTo("secagg.below-threshold");
              assertThat(n.message()).contains("share-keys").contains("threshold is 2");
            });
    assertThat(first.issues())
        .extracting(StudyResult.NodeIssue::node)
        .containsExactly("node-1", "node-2");
  }

  @Test
  void aStudyDocumentStatesTheRulesOfSecureAggregation() {
    Study withThreshold =
        StudyJson.read(COUNTS.formatted("\"secureAggregation\": { \"threshold\": 3 }"));
    assertThat(withThreshold.privacy().secureAggregation()).isTrue();
    assertThat(withThreshold.privacy().secureThresholdFor(3)).isEqualTo(3);
    assertThat(counts(true).privacy().secureThresholdFor(3)).isEqualTo(2);
    assertThat(counts(true).privacy().secureThresholdFor(4)).isEqualTo(3);
    assertThat(counts(true).privacy().secureThresholdFor(2)).isEqualTo(2);
    // without ρ a summary has no data-independent shape
    String summary =
        COUNTS
            .formatted("\"secureAggregation\": true")
            .replace(
                "{ \"type\": \"count\" },",
                "{ \"type\": \"count\" }, { \"type\": \"summary\", \"variable\": { \"type\": \"age\" } },");
    assertThatThrownBy(() -> StudyJson.read(summary))
        .isInstanceOfSatisfying(
            SalusException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("analyses[1]")
                    .contains("privacy.secureAggregation without privacy.rho"));
    assertThatThrownBy(
            () -> StudyJson.read(COUNTS.formatted("\"secureAggregation\": { \"threshold\": 4 }")))
        .hasMessageContaining("privacy.secureAggregation.threshold");
    assertThatThrownBy(() -> StudyJson.read(COUNTS.formatted("\"secureAggregation\": 1")))
        .hasMessageContaining("privacy.secureAggregation");
  }

  @Test
  void aNodeRefusesARoundWhoseThresholdIsBelowTheStudys() throws Exception {
    LocalStudyNode n = fixture.local(0);
    Study study = counts(true);
    n.join(study);
    SecureOpening o =
        n.secureOpen(
            new SecureRound(
                "r1", StepRequest.once(0), 1, new java.util.TreeSet<>(List.of(1, 2, 3)), 1, 1));
    assertThat(o)
        .isInstanceOfSatisfying(
            SecureOpening.Declined.class,
            d ->
                assertThat(((NodeReply.Failed) d.reply()).code())
                    .isEqualTo("secagg.round.threshold"));
  }

  /**
   * The node sizes its share from the study document (its threshold for the round's participants),
   * never from the round's threshold alone: a round below it is refused before any charge, and a
   * round that claims a higher threshold still gets Sk(μ/t) for the study's t = 2 (more noise than
   * that round would need, never less than any sum the hub can unmask needs).
   */
  @Test
  void aNodeSizesItsShareForTheStudysThresholdWhateverTheRoundClaims() throws Exception {
    List<Object> entries = new ArrayList<>();
    org.salus.store.study.NodeDp dp =
        new org.salus.store.study.NodeDp(
            3,
            "alice",
            NodeBudgets.open(dirs.get(0)),
            e -> {
              entries.add(e);
              return entries.size() - 1;
            },
            new java.util.SplittableRandom(9));
    LocalStudyNode n = fixture.open(0, DisclosurePolicy.defaults(), Optional.of(dp));
    Study study = StudyJson.read(COUNTS.formatted("\"rho\": 1.0, \"secureAggregation\": true"));
    n.join(study);
    java.util.TreeSet<Integer> ids = new java.util.TreeSet<>(List.of(1, 2, 3));
    assertThat(n.secureOpen(new SecureRound("r0", StepRequest.once(0), 1, ids, 1, 1)))
        .isInstanceOfSatisfying(
            SecureOpening.Declined.class,
            d ->
                assertThat(((NodeReply.Failed) d.reply()).code())
                    .isEqualTo("secagg.round.threshold"));
    assertThat(dp.charges()).isEmpty();
    assertThat(entries).isEmpty();
    assertThat(n.secureOpen(new SecureRound("r1", StepRequest.once(0), 1, ids, 3, 1)))
        .isInstanceOf(SecureOpening.Advertised.class);
    assertThat(dp.charges()).singleElement().satisfies(ch -> assertThat(ch.shares()).isEqualTo(2));
  }

  /** A node process that dies at its {@code call}-th masked input (0-based, over the run). */
  private static final class KilledAtMaskedInput extends Recording {
    final int call;
    int calls;

    KilledAtMaskedInput(StudyNode node, int call) {
      super(node);
      this.call = call;
    }

    @Override
    public MaskedInput secureMaskedInput(String roundId, ShareDelivery delivery) {
      if (calls++ == call) {
        node.close();
        throw new SalusException("study.node.unreachable", name() + " did not answer");
      }
      return super.secureMaskedInput(roundId, delivery);
    }
  }

  /**
   * Under secure aggregation with ρ a GLM goes on over the survivors when a node leaves mid-fit (no
   * restart, which would need rounds the nodes do not have): node-2 dies at the masked input of the
   * binomial GLM's round 2; both GLMs are fitted over node-0 and node-1 and agree with a secure run
   * over those two alone (zero noise; fixed point, so to 1e-3).
   */
  @Test
  void aSecureGlmGoesOnOverTheSurvivorsWhenANodeLeavesMidFit() throws Exception {
    fixture.zeroNoise();
    Study study =
        StudyDpAnalysesTest.study(
            SECURE + "\"rho\": 1.0, \"glmRounds\": 25, " + StudyDpAnalysesTest.BOUNDS);
    // analyses 0-4 are one round each (masked inputs 0-4); the binomial GLM's round 2 is the 8th
    StudyResult r =
        StudyNodes.run(
            study,
            List.of(
                fixture.localDp(0),
                fixture.localDp(1),
                new KilledAtMaskedInput(fixture.localDp(2), 7)));
    StudyResult two = StudyNodes.run(study, List.of(fixture.localDp(0), fixture.localDp(1)));
    StudyResult.Answer binomial = r.analyses().get(5);
    assertThat(binomial.secureAggregation().orElseThrow().dropouts())
        .containsExactly(
            new StudyResult.Dropout("node-2", 2, "masked-input", "study.node.unreachable"));
    for (int a : new int[] {5, 6}) {
      StudyResult.Answer got = r.analyses().get(a);
      assertThat(got.contributors()).as(got.toString()).containsExactly("node-0", "node-1");
      assertThat(got.outcome()).as(got.toString()).isInstanceOf(StudyResult.Glm.class);
      assertThat(got.secureAggregation().orElseThrow().rounds()).isBetween(a == 5 ? 4 : 1, 25);
      var want = ((StudyResult.Glm) two.analyses().get(a).outcome()).result().coefficients();
      var fit = ((StudyResult.Glm) got.outcome()).result().coefficients();
      assertThat(fit).hasSameSizeAs(want);
      assertThat(((StudyResult.Glm) got.outcome()).result().n())
          .isEqualTo(((StudyResult.Glm) two.analyses().get(a).outcome()).result().n());
      for (int k = 0; k < want.size(); k++) {
        var w = want.get(k);
        // as the zero-noise comparison above: far less than the fit's own uncertainty
        assertThat(fit.get(k).estimate())
            .as("analysis %d coefficient %d, SE %s", a, k, w.standardError())
            .isCloseTo(w.estimate(), within(0.1 * w.standardError()));
        assertThat(fit.get(k).standardError())
            .isCloseTo(w.standardError(), within(0.02 * w.standardError()));
      }
    }
  }

  /**
   * A node leaving in a secure GLM's last round (round 1 of 2): the coefficients evaluated there
   * were fitted with its statistics, so the analysis is not computed rather than mixed.
   */
  @Test
  void aSecureGlmLosingANodeInItsLastRoundIsNotComputed() throws Exception {
    fixture.zeroNoise();
    Study study =
        StudyDpAnalysesTest.study(
            SECURE + "\"rho\": 1.0, \"glmRounds\": 2, " + StudyDpAnalysesTest.BOUNDS);
    // masked inputs 0-4: the one-round analyses; 5, 6: the binomial GLM's rounds 0 and 1
    StudyResult r =
        StudyNodes.run(
            study,
            List.of(
                fixture.localDp(0),
                fixture.localDp(1),
                new KilledAtMaskedInput(fixture.localDp(2), 6)));
    StudyResult.Answer binomial = r.analyses().get(5);
    assertThat(binomial.outcome())
        .isInstanceOfSatisfying(
            StudyResult.NotComputed.class,
            n -> assertThat(n.code()).isEqualTo(StudyCoordinator.DROPOUT_LAST_ROUND));
    assertThat(binomial.secureAggregation().orElseThrow().dropouts())
        .containsExactly(
            new StudyResult.Dropout("node-2", 1, "masked-input", "study.node.unreachable"));
    // the next GLM lost it at round 0, whose β is the fixed start: fitted over the two
    assertThat(r.analyses().get(6).outcome()).isInstanceOf(StudyResult.Glm.class);
    assertThat(r.analyses().get(6).contributors()).containsExactly("node-0", "node-1");
  }
}
