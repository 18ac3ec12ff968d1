package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.AdvertiseKeys;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskingGraph;
import org.salus.core.secagg.SecAggConfig;
import org.salus.core.secagg.SecAggServer;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOneTrip;
import org.salus.core.study.run.SecurePreparation;
import org.salus.core.study.run.SecureStep;
import org.salus.core.study.run.StepRequest;
import org.salus.core.study.run.StudyCoordinator;
import org.salus.core.study.run.StudyNode;
import org.salus.core.study.run.StudyResult;
import org.salus.store.study.LocalStudyNode;
import org.salus.store.study.SecureVectors;
import org.salus.store.study.StudyJson;

/**
 * One-trip secure rounds in studies over three DuckDB nodes (docs/secagg-dp.md, "Secure aggregation
 * in studies"): the hub keys a batch of 16 rounds ahead, then every secure step is one exchange. In
 * the zero-noise mode every DP analysis equals the plain federated one; the hub holds only masked
 * vectors; a node that withholds declines in the same exchange and the sum is exact over the
 * others; a node lost in the exchange makes the step run again as a classic round over the
 * contributors, and the node set runs classic rounds from then on; a node refuses a reused round, a
 * round below the study's threshold and a preparation naming a round twice.
 */
class OneTripStudyTest {

  private static final int[] SIZES = {70, 60, 50};

  /** StudyCoordinator.ONE_TRIP_BATCH: rounds keyed per preparation. */
  private static final int BATCH = 16;

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

  private static final String COUNTS =
      """
      {
        "id": "one-trip-counts",
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

  private static Study counts(String privacy) {
    return StudyJson.read(COUNTS.formatted(privacy));
  }

  private static Study counts(boolean secure) {
    return counts(secure ? "\"secureAggregation\": true" : "");
  }

  /**
   * A node that hands every call, one-trip ones included, to another and records what passes: the
   * number of calls of each kind and every one-trip answer.
   */
  private static class Recording extends ForwardingStudyNode {
    int prepares;
    int prepareShares;
    int opens;
    final List<SecureStep> steps = new ArrayList<>();
    final List<SecureOneTrip> answers = new ArrayList<>();

    Recording(StudyNode node) {
      super(node);
    }

    @Override
    void called(String phase) {
      switch (phase) {
        case "open" -> opens++;
        case "prepare" -> prepares++;
        case "prepare-shares" -> prepareShares++;
        default -> {}
      }
    }

    @Override
    public SecureOneTrip secureOneTrip(SecureStep step) {
      steps.add(step);
      SecureOneTrip a = super.secureOneTrip(step);
      answers.add(a);
      return a;
    }

    /** The masked vectors this node handed over, in step order. */
    List<long[]> masked() {
      return answers.stream()
          .filter(SecureOneTrip.Contributed.class::isInstance)
          .map(a -> ((SecureOneTrip.Contributed) a).input().masked().masked())
          .toList();
    }
  }

  /** A node process that dies at its {@code call}-th one-trip step (0-based): lost mid-round. */
  private static final class LostAtOneTrip extends Recording {
    final int call;
    int calls;

    LostAtOneTrip(StudyNode node, int call) {
      super(node);
      this.call = call;
    }

    @Override
    public SecureOneTrip secureOneTrip(SecureStep step) {
      if (calls++ == call) {
        steps.add(step);
        node.close();
        throw new SalusException("study.node.unreachable", name() + " did not answer");
      }
      return super.secureOneTrip(step);
    }
  }

  private static List<Recording> recording(List<? extends StudyNode> nodes) {
    return nodes.stream().map(Recording::new).toList();
  }

  /** Steps the hub ran over the answer's secure rounds (one per round). */
  private static int rounds(StudyResult r) {
    return r.analyses().stream().mapToInt(a -> a.secureAggregation().orElseThrow().rounds()).sum();
  }

  @Test
  void inTheZeroNoiseModeEveryDpAnalysisEqualsThePlainFederatedOneInOneTripRounds()
      throws Exception {
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
            "\"secureAggregation\": true, \"rho\": 1.0, \"glmRounds\": 25, "
                + StudyDpAnalysesTest.BOUNDS);
    List<Recording> nodes =
        recording(List.of(fixture.localDp(0), fixture.localDp(1), fixture.localDp(2)));
    StudyResult got = StudyNodes.run(secure, nodes);
    assertThat(((StudyResult.Count) plain.analyses().get(0).outcome()).n()).isEqualTo(180);
    for (int i = 0; i < plain.analyses().size(); i++) {
      StudyResult.Answer e = plain.analyses().get(i);
      StudyResult.Answer g = got.analyses().get(i);
      assertThat(g.contributors())
          .as("analysis %d %s", i, g.issues())
          .containsExactly("node-0", "node-1", "node-2");
      StudyResult.SecureSum sa = g.secureAggregation().orElseThrow();
      assertThat(sa.threshold()).isEqualTo(2);
      assertThat(sa.contributors()).containsExactly("node-0", "node-1", "node-2");
      assertThat(sa.dropouts()).isEmpty();
      switch (e.outcome()) {
        case StudyResult.Summary ps -> {
          // fixed point as in SecureStudyTest: at most half a unit (1/256 of the bound) per node
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
    // the one-trip path was used: one exchange per step, one preparation per 16 steps, and never
    // a classic round
    int steps = rounds(got);
    assertThat(steps).isGreaterThan(BATCH); // the GLMs' rounds need a second batch
    for (Recording n : nodes) {
      assertThat(n.steps).as(n.name()).hasSize(steps);
      assertThat(n.answers).allMatch(SecureOneTrip.Contributed.class::isInstance);
      assertThat(n.prepares).as(n.name()).isEqualTo((steps + BATCH - 1) / BATCH);
      assertThat(n.prepareShares).isEqualTo(n.prepares);
      assertThat(n.opens).as(n.name()).isZero();
      // each step used its own prepared round
      assertThat(n.steps.stream().map(SecureStep::roundId).distinct()).hasSize(steps);
    }
    // all three nodes were sent the same round for each step
    for (int s = 0; s < steps; s++) {
      assertThat(nodes.get(1).steps.get(s).roundId())
          .isEqualTo(nodes.get(0).steps.get(s).roundId());
      assertThat(nodes.get(2).steps.get(s).roundId())
          .isEqualTo(nodes.get(0).steps.get(s).roundId());
    }
  }

  @Test
  void theHubHoldsOnlyMaskedVectorsAndTheirSumIsNotThePlainSum() throws Exception {
    List<Recording> nodes =
        recording(List.of(fixture.local(0), fixture.local(1), fixture.local(2)));
    StudyResult secure = StudyNodes.run(counts(true), nodes);
    Study plainStudy = counts(false);
    long[][] plainVectors = new long[9][];
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
        plainVectors[i * 3 + a] = v;
        plainSums[a] = plainSums[a] == null ? v.clone() : add(plainSums[a], v);
      }
    }
    StudyResult plain =
        StudyNodes.run(plainStudy, List.of(fixture.local(0), fixture.local(1), fixture.local(2)));
    for (Recording n : nodes) {
      assertThat(n.steps).hasSize(3);
      assertThat(n.masked()).hasSize(3);
      assertThat(n.opens).isZero();
      assertThat(n.prepares).isEqualTo(1);
    }
    for (int a = 0; a < 3; a++) {
      assertThat(secure.analyses().get(a).outcome()).isEqualTo(plain.analyses().get(a).outcome());
      assertThat(secure.analyses().get(a).secureAggregation().orElseThrow().rounds()).isEqualTo(1);
      long[] maskedSum = new long[plainSums[a].length];
      for (int i = 0; i < 3; i++) {
        long[] m = nodes.get(i).masked().get(a);
        assertThat(m).as("node %d analysis %d", i, a).hasSameSizeAs(plainVectors[i * 3 + a]);
        assertThat(m).as("node %d analysis %d", i, a).isNotEqualTo(plainVectors[i * 3 + a]);
        maskedSum = add(maskedSum, m);
      }
      // the pairwise masks cancel in the sum, the self-masks do not: only their shares unmask it
      assertThat(maskedSum).as("analysis %d", a).isNotEqualTo(plainSums[a]);
    }
  }

  private static long[] add(long[] a, long[] b) {
    long[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b[i];
    }
    return out;
  }

  @Test
  void aNodeThatWithholdsDeclinesInTheSameExchangeAndTheSumIsExactOverTheOthers() throws Exception {
    List<Recording> nodes =
        recording(
            List.of(
                fixture.local(0),
                fixture.local(1),
                fixture.local(2, new DisclosurePolicy(10_000, 0.33))));
    StudyResult r = StudyNodes.run(counts(true), nodes);
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
      StudyResult.SecureSum sa = answer.secureAggregation().orElseThrow();
      assertThat(sa.dropouts())
          .containsExactly(new StudyResult.Dropout("node-2", 0, "advertise", rule));
      assertThat(sa.contributors()).containsExactly("node-0", "node-1");
      // one exchange, no classic round after it
      assertThat(sa.rounds()).isEqualTo(1);
    }
    for (Recording n : nodes) {
      assertThat(n.steps).as(n.name()).hasSize(3);
      assertThat(n.opens).as(n.name()).isZero();
      assertThat(n.prepares).as(n.name()).isEqualTo(1);
    }
    // the withholding node declined with its round key, so the others' masks for it came off
    assertThat(nodes.get(2).answers)
        .hasSize(3)
        .allSatisfy(
            a ->
                assertThat(a)
                    .isInstanceOfSatisfying(
                        SecureOneTrip.Declined.class,
                        d -> {
                          assertThat(d.reply()).isInstanceOf(NodeReply.Withheld.class);
                          assertThat(d.key()).isPresent();
                          assertThat(d.key().get().from()).isEqualTo(3);
                        }));
  }

  /**
   * A node lost in the one-trip exchange (no answer): nobody can remove its masks in that round, so
   * the step runs again as a classic round over the two that contributed (without ρ they compute it
   * anew, exactly); the node set then runs classic rounds, no more preparations.
   */
  @Test
  void aNodeLostInTheExchangeMakesTheStepRunAgainClassicOverTheOthers() throws Exception {
    List<Recording> nodes = new ArrayList<>(recording(List.of(fixture.local(0), fixture.local(1))));
    LostAtOneTrip lost = new LostAtOneTrip(fixture.local(2), 0);
    nodes.add(lost);
    StudyResult r = StudyNodes.run(counts(true), nodes);
    StudyResult plainTwo =
        StudyNodes.run(counts(false), List.of(fixture.local(0), fixture.local(1)));
    StudyResult.Answer first = r.analyses().get(0);
    assertThat(first.outcome()).isEqualTo(plainTwo.analyses().get(0).outcome());
    assertThat(first.contributors()).containsExactly("node-0", "node-1");
    assertThat(first.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.node()).isEqualTo("node-2");
              assertThat(i.code()).isEqualTo("study.node.unreachable");
              assertThat(i.explanation()).contains("one-trip");
            });
    StudyResult.SecureSum sa = first.secureAggregation().orElseThrow();
    // round 0: the one-trip exchange that lost node-2; round 1: the classic round over the others
    assertThat(sa.dropouts())
        .containsExactly(
            new StudyResult.Dropout("node-2", 0, "one-trip", "study.node.unreachable"));
    assertThat(sa.rounds()).isEqualTo(2);
    assertThat(sa.contributors()).containsExactly("node-0", "node-1");
    for (Recording n : nodes.subList(0, 2)) {
      // one preparation only, one one-trip step only: the re-run and the later steps are classic
      assertThat(n.prepares).as(n.name()).isEqualTo(1);
      assertThat(n.steps).as(n.name()).hasSize(1);
      assertThat(n.answers).singleElement().isInstanceOf(SecureOneTrip.Contributed.class);
      assertThat(n.opens).as(n.name()).isEqualTo(3);
    }
    assertThat(lost.prepares).isEqualTo(1);
    assertThat(lost.steps).hasSize(1);
    // its session is gone: in the next analyses (classic rounds) it fails at once
    for (int a = 1; a < 3; a++) {
      StudyResult.Answer answer = r.analyses().get(a);
      assertThat(answer.outcome()).isEqualTo(plainTwo.analyses().get(a).outcome());
      assertThat(answer.contributors()).containsExactly("node-0", "node-1");
      assertThat(answer.secureAggregation().orElseThrow().rounds()).isEqualTo(1);
      assertThat(answer.secureAggregation().orElseThrow().dropouts())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.node()).isEqualTo("node-2");
                assertThat(d.phase()).isEqualTo("advertise");
              });
    }
    assertThat(lost.opens).isEqualTo(2);
  }

  /**
   * A node that no longer holds the round the hub names (say its process restarted after the
   * preparation): it declines without a key, so nobody can remove its masks in that round; the step
   * runs again as a classic round over the other two, and the node set runs classic rounds from
   * then on, with that node in them again.
   */
  @Test
  void aNodeThatForgotTheRoundDeclinesWithoutAKeyAndTheStepRunsAgainClassic() throws Exception {
    List<Recording> nodes = new ArrayList<>(recording(List.of(fixture.local(0), fixture.local(1))));
    Recording forgetful =
        new Recording(fixture.local(2)) {
          @Override
          public SecureOneTrip secureOneTrip(SecureStep step) {
            return super.secureOneTrip(
                new SecureStep(
                    step.roundId() + "/forgotten",
                    step.step(),
                    step.vectorLength(),
                    step.delivery()));
          }
        };
    nodes.add(forgetful);
    StudyResult r = StudyNodes.run(counts(true), nodes);
    StudyResult plainTwo =
        StudyNodes.run(counts(false), List.of(fixture.local(0), fixture.local(1)));
    StudyResult plainAll =
        StudyNodes.run(
            counts(false), List.of(fixture.local(0), fixture.local(1), fixture.local(2)));
    StudyResult.Answer first = r.analyses().get(0);
    assertThat(first.outcome()).isEqualTo(plainTwo.analyses().get(0).outcome());
    assertThat(first.contributors()).containsExactly("node-0", "node-1");
    assertThat(first.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.node()).isEqualTo("node-2");
              assertThat(i.code()).isEqualTo("secagg.round.unknown");
            });
    StudyResult.SecureSum sa = first.secureAggregation().orElseThrow();
    assertThat(sa.rounds()).isEqualTo(2);
    assertThat(sa.dropouts())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.node()).isEqualTo("node-2");
              assertThat(d.round()).isZero();
              assertThat(d.code()).isEqualTo("secagg.round.unknown");
            });
    assertThat(forgetful.answers)
        .singleElement()
        .isInstanceOfSatisfying(SecureOneTrip.Declined.class, d -> assertThat(d.key()).isEmpty());
    // the re-run and the later analyses are classic rounds; node-2 is alive and in them
    for (Recording n : nodes) {
      assertThat(n.prepares).as(n.name()).isEqualTo(1);
      assertThat(n.steps).as(n.name()).hasSize(1);
    }
    assertThat(nodes.get(0).opens).isEqualTo(3);
    assertThat(forgetful.opens).isEqualTo(2);
    for (int a = 1; a < 3; a++) {
      StudyResult.Answer answer = r.analyses().get(a);
      assertThat(answer.outcome()).isEqualTo(plainAll.analyses().get(a).outcome());
      assertThat(answer.contributors()).containsExactly("node-0", "node-1", "node-2");
      assertThat(answer.secureAggregation().orElseThrow().dropouts()).isEmpty();
    }
  }

  /**
   * Declines in a one-trip round leave fewer contributors than the study's threshold: the step
   * fails with the protocol's code; when every node declines nothing is released, as for a plain
   * step. Each is still a single exchange.
   */
  @Test
  void belowTheThresholdOrWithNoContributorsAOneTripStepReleasesNothing() throws Exception {
    Study three = counts("\"secureAggregation\": { \"threshold\": 3 }");
    DisclosurePolicy strict = new DisclosurePolicy(10_000, 0.33);
    List<Recording> nodes =
        recording(List.of(fixture.local(0), fixture.local(1), fixture.local(2, strict)));
    StudyResult r = StudyNodes.run(three, nodes);
    StudyResult.Answer first = r.analyses().get(0);
    assertThat(first.outcome())
        .isInstanceOfSatisfying(
            StudyResult.NotComputed.class,
            n -> {
              assertThat(n.code()).isEqualTo("secagg.below-threshold");
              assertThat(n.message()).contains("threshold is 3");
            });
    assertThat(first.issues()).extracting(StudyResult.NodeIssue::node).containsExactly("node-2");
    assertThat(first.secureAggregation().orElseThrow().rounds()).isEqualTo(1);
    assertThat(nodes.get(0).opens).isZero();

    List<Recording> none =
        recording(
            List.of(fixture.local(0, strict), fixture.local(1, strict), fixture.local(2, strict)));
    StudyResult nothing = StudyNodes.run(counts(true), none);
    for (StudyResult.Answer answer : nothing.analyses()) {
      assertThat(answer.outcome())
          .isInstanceOfSatisfying(
              StudyResult.NotComputed.class,
              n -> assertThat(n.code()).isEqualTo(StudyCoordinator.NO_CONTRIBUTORS));
      assertThat(answer.contributors()).isEmpty();
      assertThat(answer.issues())
          .extracting(StudyResult.NodeIssue::node)
          .containsExactly("node-0", "node-1", "node-2");
      assertThat(answer.secureAggregation().orElseThrow().rounds()).isEqualTo(1);
    }
    for (Recording n : none) {
      assertThat(n.steps).hasSize(3);
      assertThat(n.opens).isZero();
    }
  }

  /**
   * The same loss under ρ: the classic re-run is a second release of a one-round analysis, which
   * the survivors refuse ({@code dp.releases.exhausted}); nothing is released and the answer says
   * why. Expected: a one-trip round that lost a node cannot be read, and the nodes already charged
   * for the step.
   */
  @Test
  void underRhoALostNodeLeavesAOneRoundAnalysisWithNothingReleased() throws Exception {
    fixture.zeroNoise();
    Study study = counts("\"rho\": 1.0, \"secureAggregation\": true");
    List<Recording> nodes =
        new ArrayList<>(recording(List.of(fixture.localDp(0), fixture.localDp(1))));
    nodes.add(new LostAtOneTrip(fixture.localDp(2), 0));
    StudyResult r = StudyNodes.run(study, nodes);
    StudyResult.Answer first = r.analyses().get(0);
    assertThat(first.contributors()).isEmpty();
    assertThat(first.outcome())
        .isInstanceOfSatisfying(
            StudyResult.NotComputed.class,
            n -> assertThat(n.code()).isEqualTo(StudyCoordinator.NO_CONTRIBUTORS));
    assertThat(first.issues())
        .extracting(StudyResult.NodeIssue::node, StudyResult.NodeIssue::code)
        .contains(
            org.assertj.core.groups.Tuple.tuple("node-2", "study.node.unreachable"),
            org.assertj.core.groups.Tuple.tuple("node-0", "dp.releases.exhausted"),
            org.assertj.core.groups.Tuple.tuple("node-1", "dp.releases.exhausted"));
    assertThat(first.issues())
        .filteredOn(i -> !i.node().equals("node-2"))
        .allSatisfy(i -> assertThat(i.remedy()).isNotBlank());
    assertThat(first.secureAggregation().orElseThrow().dropouts())
        .contains(new StudyResult.Dropout("node-2", 0, "one-trip", "study.node.unreachable"))
        .contains(
            new StudyResult.Dropout("node-0", 1, "advertise", "dp.releases.exhausted"),
            new StudyResult.Dropout("node-1", 1, "advertise", "dp.releases.exhausted"));
    for (Recording n : nodes.subList(0, 2)) {
      assertThat(n.prepares).as(n.name()).isEqualTo(1);
    }
    // the next analyses run classic over the survivors (node-2's session is gone), exactly
    StudyResult plainTwo =
        StudyNodes.run(counts(false), List.of(fixture.local(0), fixture.local(1)));
    for (int a = 1; a < 3; a++) {
      StudyResult.Answer answer = r.analyses().get(a);
      assertThat(answer.contributors())
          .as(answer.issues().toString())
          .containsExactly("node-0", "node-1");
      assertThat(answer.outcome().getClass())
          .isEqualTo(plainTwo.analyses().get(a).outcome().getClass());
    }
  }

  /**
   * Under ρ a node lost in a one-trip round mid-fit costs the survivors a release: the round runs
   * again as a classic round over node-0 and node-1 (a new release of that GLM round at each). The
   * fit is told (GlmFit.loseRound) and ends one round before its declared last, over the two, so it
   * never asks for a release they no longer have (before, it was not computed:
   * dp.releases.exhausted). A GLM that loses the node at its classic round 0 (the three-node set
   * runs classic rounds after the loss) goes on over the survivors, in one-trip rounds keyed for
   * the two, and agrees with a run over those two alone.
   */
  @Test
  void underRhoALostOneTripRoundCostsTheSurvivorsARelease() throws Exception {
    fixture.zeroNoise();
    int glmRounds = 25;
    Study study =
        StudyDpAnalysesTest.study(
            "\"secureAggregation\": true, \"rho\": 1.0, \"glmRounds\": "
                + glmRounds
                + ", "
                + StudyDpAnalysesTest.BOUNDS);
    // analyses 0-4 are one step each (one-trip steps 0-4); the binomial GLM's round 2 is step 7
    LostAtOneTrip lost = new LostAtOneTrip(fixture.localDp(2), 7);
    List<Recording> nodes =
        new ArrayList<>(recording(List.of(fixture.localDp(0), fixture.localDp(1))));
    nodes.add(lost);
    StudyResult r = StudyNodes.run(study, nodes);
    StudyResult two = StudyNodes.run(study, List.of(fixture.localDp(0), fixture.localDp(1)));
    for (int a = 0; a < 5; a++) {
      assertThat(r.analyses().get(a).contributors()).containsExactly("node-0", "node-1", "node-2");
    }
    StudyResult.Answer binomial = r.analyses().get(5);
    List<StudyResult.Dropout> dropouts = binomial.secureAggregation().orElseThrow().dropouts();
    assertThat(dropouts)
        .as(binomial.toString())
        .startsWith(new StudyResult.Dropout("node-2", 2, "one-trip", "study.node.unreachable"));
    // round 3 was the classic re-run of round 2, a release of the survivors' own: the fit knows
    // it (GlmFit.loseRound) and ends one round earlier, over the two, instead of asking them for a
    // release they no longer have
    assertThat(dropouts).as(binomial.toString()).hasSize(1);
    assertThat(binomial.issues())
        .extracting(StudyResult.NodeIssue::node, StudyResult.NodeIssue::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("node-2", "study.node.unreachable"));
    assertThat(binomial.contributors()).containsExactly("node-0", "node-1");
    var shortened = ((StudyResult.Glm) binomial.outcome()).result();
    assertThat(shortened.iterations()).isEqualTo(glmRounds - 2);
    var overTwo = ((StudyResult.Glm) two.analyses().get(5).outcome()).result();
    assertThat(shortened.n()).isEqualTo(overTwo.n());
    for (int k = 0; k < overTwo.coefficients().size(); k++) {
      var w = overTwo.coefficients().get(k);
      assertThat(shortened.coefficients().get(k).estimate())
          .as("binomial coefficient %d, SE %s", k, w.standardError())
          .isCloseTo(w.estimate(), within(0.1 * w.standardError()));
    }
    // the next GLM lost node-2 at its round 0 (a classic round: the three-node set is classic
    // now) and was fitted over the two
    StudyResult.Answer got = r.analyses().get(6);
    assertThat(got.contributors()).as(got.toString()).containsExactly("node-0", "node-1");
    assertThat(got.secureAggregation().orElseThrow().dropouts())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.node()).isEqualTo("node-2");
              assertThat(d.round()).isZero();
              assertThat(d.phase()).isEqualTo("advertise");
            });
    var want = ((StudyResult.Glm) two.analyses().get(6).outcome()).result();
    var fit = ((StudyResult.Glm) got.outcome()).result();
    assertThat(fit.n()).isEqualTo(want.n());
    assertThat(fit.coefficients()).hasSameSizeAs(want.coefficients());
    for (int k = 0; k < want.coefficients().size(); k++) {
      var w = want.coefficients().get(k);
      assertThat(fit.coefficients().get(k).estimate())
          .as("coefficient %d, SE %s", k, w.standardError())
          .isCloseTo(w.estimate(), within(0.1 * w.standardError()));
      assertThat(fit.coefficients().get(k).standardError())
          .isCloseTo(w.standardError(), within(0.02 * w.standardError()));
    }
    assertThat(lost.steps).hasSize(8);
    for (Recording n : nodes.subList(0, 2)) {
      assertThat(n.opens).as(n.name()).isPositive();
      assertThat(n.prepares).as(n.name()).isGreaterThanOrEqualTo(2);
    }
  }

  /** Keys one round at three joined nodes as the hub does: the deliveries by participant. */
  private static Map<Integer, ShareDelivery> prepare(List<LocalStudyNode> nodes, String roundId) {
    SortedSet<Integer> ids = new TreeSet<>(List.of(1, 2, 3));
    SecAggServer server =
        new SecAggServer(
            new SecAggConfig(
                ids,
                2,
                SecAggConfig.AT_INPUT,
                roundId.getBytes(StandardCharsets.UTF_8),
                MaskingGraph.complete(ids)));
    for (int k = 0; k < nodes.size(); k++) {
      List<AdvertiseKeys> keys =
          nodes.get(k).securePrepare(new SecurePreparation(List.of(roundId), k + 1, ids, 2));
      assertThat(keys).hasSize(1);
      server.receiveAdvertisement(keys.get(0));
    }
    KeyDirectory directory = server.closeAdvertisements();
    for (LocalStudyNode n : nodes) {
      server.receiveShares(n.securePrepareShares(List.of(roundId), List.of(directory)).get(0));
    }
    return server.closeShares();
  }

  @Test
  void aNodeRefusesAReusedRoundALowThresholdAndARoundNamedTwice() throws Exception {
    Study study = counts(true);
    List<LocalStudyNode> nodes = List.of(fixture.local(0), fixture.local(1), fixture.local(2));
    for (LocalStudyNode n : nodes) {
      assertThat(n.join(study)).isInstanceOf(Joining.Joined.class);
    }
    Map<Integer, ShareDelivery> deliveries = prepare(nodes, "one-trip-counts/prepared/r1");
    int length = new SecureVectors().length(study, StepRequest.once(0));
    SecureStep step =
        new SecureStep(
            "one-trip-counts/prepared/r1", StepRequest.once(0), length, deliveries.get(1));
    assertThat(nodes.get(0).secureOneTrip(step)).isInstanceOf(SecureOneTrip.Contributed.class);
    // the hub tries the same round again: the node forgot it, so it declines without a key
    assertThat(nodes.get(0).secureOneTrip(step))
        .isInstanceOfSatisfying(
            SecureOneTrip.Declined.class,
            d -> {
              assertThat(((NodeReply.Failed) d.reply()).code()).isEqualTo("secagg.round.unknown");
              assertThat(d.key()).isEmpty();
            });
    // a round below the study's threshold (2 of 3) is refused before anything is keyed
    SortedSet<Integer> ids = new TreeSet<>(List.of(1, 2, 3));
    assertThatThrownBy(
            () -> nodes.get(1).securePrepare(new SecurePreparation(List.of("low"), 2, ids, 1)))
        .isInstanceOfSatisfying(
            SalusException.class, e -> assertThat(e.code()).isEqualTo("secagg.round.threshold"));
    assertThat(
            nodes
                .get(1)
                .secureOneTrip(
                    new SecureStep("low", StepRequest.once(0), length, deliveries.get(2))))
        .isInstanceOfSatisfying(
            SecureOneTrip.Declined.class,
            d ->
                assertThat(((NodeReply.Failed) d.reply()).code())
                    .isEqualTo("secagg.round.unknown"));
    // a preparation naming a round twice is refused as such, and so is one naming a keyed round
    assertThatThrownBy(() -> new SecurePreparation(List.of("x", "x"), 2, ids, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    nodes.get(1).securePrepare(new SecurePreparation(List.of("kept"), 2, ids, 2));
    assertThatThrownBy(
            () ->
                nodes
                    .get(1)
                    .securePrepare(new SecurePreparation(List.of("fresh", "kept"), 2, ids, 2)))
        .isInstanceOfSatisfying(
            SalusException.class, e -> assertThat(e.code()).isEqualTo("secagg.round.duplicate"));
    // nothing of that refused preparation was keyed
    assertThat(
            nodes
                .get(1)
                .secureOneTrip(
                    new SecureStep("fresh", StepRequest.once(0), length, deliveries.get(2))))
        .isInstanceOfSatisfying(
            SecureOneTrip.Declined.class,
            d ->
                assertThat(((NodeReply.Failed) d.reply()).code())
                    .isEqualTo("secagg.round.unknown"));
  }
}
