package org.salus.core.study.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.salus.core.disclosure.DisclosureRule;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.FitSettings;
import org.salus.core.stats.GlmFamily;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.study.Analysis;
import org.salus.core.study.Cohort;
import org.salus.core.study.IndexDate;
import org.salus.core.study.PrivacyParameters;
import org.salus.core.study.Study;
import org.salus.core.study.StudyPurpose;
import org.salus.core.study.Variable;

/** The coordinator over fake nodes: sums, names who is left out and why, restarts fits. */
class StudyCoordinatorTest {

  private static final Study STUDY =
      new Study(
          "s",
          "test",
          StudyPurpose.HRESCH,
          new Cohort(
              new IndexDate.Fixed(LocalDate.of(2020, 1, 1)),
              List.of(),
              List.of(),
              Optional.empty(),
              List.of()),
          List.of(
              new Analysis.Count(),
              new Analysis.Glm(GlmFamily.GAUSSIAN, new Variable.Age(), List.of())),
          List.of(),
          PrivacyParameters.defaults());

  /** A node answering with a function of the request; it records what it was asked. */
  static final class Fake implements StudyNode {
    final String name;
    final Function<StepRequest, NodeReply> answer;
    final List<StepRequest> asked = new ArrayList<>();
    boolean declines;

    Fake(String name, Function<StepRequest, NodeReply> answer) {
      this.name = name;
      this.answer = answer;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Joining join(Study study) {
      return declines
          ? new Joining.Declined("study.purpose.unknown", "no such purpose")
          : new Joining.Joined("ab".repeat(32));
    }

    @Override
    public NodeReply step(StepRequest request) {
      asked.add(request);
      return answer.apply(request);
    }

    @Override
    public void close() {}
  }

  /** A node holding the values ys: count n, and intercept-only gaussian IRLS sums at β. */
  static Function<StepRequest, NodeReply> data(double... ys) {
    return r -> {
      if (r.analysis() == 0) {
        return new NodeReply.Released(new CohortSize(ys.length));
      }
      double beta = r.beta().get(0);
      double sum = 0;
      double deviance = 0;
      for (double y : ys) {
        sum += y;
        deviance += (y - beta) * (y - beta);
      }
      return new NodeReply.Released(
          new GlmStatistics(
              1, new double[] {ys.length}, new double[] {sum}, deviance, ys.length, List.of()));
    };
  }

  private static StudyResult run(StudyNode... nodes) {
    return new StudyCoordinator(FitSettings.defaults()).run(STUDY, List.of(nodes));
  }

  @Test
  void sumsReleasedStatisticsAndFitsOnTheSums() {
    StudyResult r = run(new Fake("a", data(1, 2, 3, 4, 5)), new Fake("b", data(10, 20, 30)));
    assertThat(r.analyses().get(0).outcome()).isEqualTo(new StudyResult.Count(8));
    StudyResult.Glm glm = (StudyResult.Glm) r.analyses().get(1).outcome();
    assertThat(glm.result().estimates()[0]).isCloseTo(75.0 / 8, within(1e-12));
    assertThat(r.analyses().get(1).contributors()).containsExactly("a", "b");
    assertThat(r.nodes()).allMatch(StudyResult.NodeStatus::joined);
  }

  @Test
  void aNodeWithholdingMidFitIsLeftOutAndTheFitRestartsOnTheOthers() {
    Function<StepRequest, NodeReply> good = data(1, 2, 3, 4, 5);
    Fake late =
        new Fake(
            "late",
            r ->
                r.iteration() >= 1
                    ? new NodeReply.Withheld(DisclosureRule.MIN_CELL_SIZE, "bin 3 has 2", "widen")
                    : data(100, 200, 300, 400, 500).apply(r));
    Fake a = new Fake("a", good);
    StudyResult r = run(a, late);
    StudyResult.Answer glm = r.analyses().get(1);
    assertThat(glm.contributors()).containsExactly("a");
    assertThat(glm.issues())
        .containsExactly(
            new StudyResult.NodeIssue(
                "late", "withheld", "disclosure.min-cell-size", "bin 3 has 2", "widen"));
    assertThat(((StudyResult.Glm) glm.outcome()).result().estimates()[0])
        .isCloseTo(3, within(1e-12));
    // a was asked rounds 0 and 1 with late, then again from round 0 alone
    List<Integer> rounds =
        a.asked.stream().filter(q -> q.analysis() == 1).map(StepRequest::iteration).toList();
    assertThat(rounds.subList(0, 3)).containsExactly(0, 1, 0);
  }

  @Test
  void failingThrowingAndDecliningNodesAreNamedAndTheStudyCompletes() {
    Fake failing = new Fake("failing", r -> new NodeReply.Failed("study.node.query-failed", "x"));
    Fake throwing =
        new Fake(
            "throwing",
            r -> {
              throw new IllegalStateException("boom");
            });
    Fake declining = new Fake("declining", data(1));
    declining.declines = true;
    StudyResult r = run(new Fake("a", data(1, 2, 3, 4, 5)), failing, throwing, declining);
    StudyResult.Answer count = r.analyses().get(0);
    assertThat(count.contributors()).containsExactly("a");
    assertThat(count.issues())
        .extracting(StudyResult.NodeIssue::node, StudyResult.NodeIssue::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("failing", "study.node.query-failed"),
            org.assertj.core.groups.Tuple.tuple("throwing", "study.node.failed"));
    assertThat(r.nodes().get(3).joined()).isFalse();
    assertThat(r.nodes().get(3).problem()).contains("study.purpose.unknown: no such purpose");
    assertThat(declining.asked).isEmpty();
  }

  @Test
  void anAnswerFromFewerNodesThanTheStudyAsksForIsNotShown() {
    Study twoNodes =
        new Study(
            STUDY.id(),
            STUDY.title(),
            STUDY.purpose(),
            STUDY.cohort(),
            STUDY.analyses(),
            List.of("a", "late"),
            STUDY.privacy(),
            2);
    Fake late =
        new Fake(
            "late",
            r ->
                r.analysis() == 1
                    ? new NodeReply.Withheld(DisclosureRule.MIN_CELL_SIZE, "bin 3 has 2", "widen")
                    : data(1, 2, 3, 4, 5).apply(r));
    StudyResult r =
        new StudyCoordinator(FitSettings.defaults())
            .run(twoNodes, List.of(new Fake("a", data(1, 2, 3, 4, 5)), late));
    assertThat(r.analyses().get(0).outcome())
        .as("two nodes released the count")
        .isEqualTo(new StudyResult.Count(10));
    StudyResult.Answer glm = r.analyses().get(1);
    assertThat(glm.contributors()).containsExactly("a");
    assertThat(glm.outcome())
        .isInstanceOfSatisfying(
            StudyResult.NotComputed.class,
            n -> {
              assertThat(n.code()).isEqualTo(StudyCoordinator.TOO_FEW_CONTRIBUTORS);
              assertThat(n.message()).contains("1 node(s)").contains("at least 2");
            });
    assertThat(glm.issues()).extracting(StudyResult.NodeIssue::node).containsExactly("late");
  }

  @Test
  void noContributorsMeansNotComputed() {
    StudyResult r =
        run(
            new Fake(
                "w",
                q -> new NodeReply.Withheld(DisclosureRule.GLM_SATURATION, "4 > 0.33 N", "x")));
    assertThat(r.analyses())
        .allSatisfy(
            a ->
                assertThat(a.outcome())
                    .isEqualTo(
                        new StudyResult.NotComputed(
                            StudyCoordinator.NO_CONTRIBUTORS,
                            "no node released statistics for this analysis; see the nodes'"
                                + " reasons")));
  }

  @Test
  void inParallelTheNodesAreAskedAtOnceAndSummedInNodeOrder() throws Exception {
    // a answers only once b has been asked: one at a time, this would never finish
    java.util.concurrent.CountDownLatch bAsked = new java.util.concurrent.CountDownLatch(1);
    Function<StepRequest, NodeReply> aData = data(1e16, 1, 2.5);
    Function<StepRequest, NodeReply> bData = data(-1e16, 3, 0.25, 7);
    Function<StepRequest, NodeReply> cData = data(0.1, 0.2, 0.3);
    Fake a =
        new Fake(
            "a",
            r -> {
              try {
                if (!bAsked.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                  return new NodeReply.Failed("test.timeout", "b was not asked in parallel");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return aData.apply(r);
            });
    Fake b =
        new Fake(
            "b",
            r -> {
              bAsked.countDown();
              return bData.apply(r);
            });
    StudyResult parallel;
    try (java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3)) {
      parallel =
          new StudyCoordinator(FitSettings.defaults(), pool)
              .run(STUDY, List.of(a, b, new Fake("c", cData)));
    }
    StudyResult sequential = run(new Fake("a", aData), new Fake("b", bData), new Fake("c", cData));
    assertThat(parallel.analyses().get(1).contributors()).containsExactly("a", "b", "c");
    // sums of these values depend on their order: equal bits mean the same order
    assertThat(((StudyResult.Glm) parallel.analyses().get(1).outcome()).result().estimates())
        .isEqualTo(((StudyResult.Glm) sequential.analyses().get(1).outcome()).result().estimates());
    assertThat(parallel.analyses().get(0).outcome()).isEqualTo(new StudyResult.Count(10));
  }

  @Test
  void nodesWithholdingInTheSameRoundAreAllLeftOutWithOneRestart() {
    Function<StepRequest, NodeReply> late =
        r ->
            r.analysis() == 1 && r.iteration() >= 1
                ? new NodeReply.Withheld(DisclosureRule.MIN_CELL_SIZE, "bin 3 has 2", "widen")
                : data(100, 200).apply(r);
    Fake a = new Fake("a", data(1, 2, 3, 4, 5));
    StudyResult r = run(new Fake("x", late), a, new Fake("y", late));
    StudyResult.Answer glm = r.analyses().get(1);
    assertThat(glm.contributors()).containsExactly("a");
    assertThat(glm.issues()).extracting(StudyResult.NodeIssue::node).containsExactly("x", "y");
    List<Integer> rounds =
        a.asked.stream().filter(q -> q.analysis() == 1).map(StepRequest::iteration).toList();
    assertThat(rounds.subList(0, 3)).containsExactly(0, 1, 0);
  }

  private static final Study SECURE =
      new Study(
          "s",
          "test",
          StudyPurpose.HRESCH,
          STUDY.cohort(),
          List.of(new Analysis.Count()),
          List.of("a", "b", "c"),
          new PrivacyParameters(
              5,
              java.util.OptionalDouble.empty(),
              new java.util.TreeMap<>(),
              java.util.OptionalInt.empty(),
              10,
              true,
              java.util.OptionalInt.empty()));

  /** Vectors of one count: the sum is read as a cohort size. */
  private static final StepVectors COUNT_VECTORS =
      new StepVectors() {
        @Override
        public int length(Study study, StepRequest step) {
          return 1;
        }

        @Override
        public org.salus.core.stats.Statistic decode(
            Study study, StepRequest step, long[] sum, int contributors) {
          return new CohortSize(sum[0]);
        }
      };

  @Test
  void aSecureStudyNeedsACoordinatorThatReadsVectors() {
    StudyResult r =
        new StudyCoordinator(FitSettings.defaults())
            .run(SECURE, List.of(new Fake("a", data(1)), new Fake("b", data(2))));
    assertThat(r.analyses().get(0).outcome())
        .isEqualTo(
            new StudyResult.NotComputed(
                StudyCoordinator.SECAGG_UNAVAILABLE,
                "the study asks for secure aggregation; this coordinator cannot read step"
                    + " vectors"));
  }

  @Test
  void nodesWithoutSecureAggregationAreDropoutsAndNobodyContributes() {
    StudyResult r =
        new StudyCoordinator(FitSettings.defaults(), Runnable::run, COUNT_VECTORS)
            .run(
                SECURE,
                List.of(new Fake("a", data(1)), new Fake("b", data(2)), new Fake("c", data(3))));
    StudyResult.Answer a = r.analyses().get(0);
    assertThat(a.issues())
        .extracting(StudyResult.NodeIssue::code)
        .containsExactly(
            StudyNode.SECAGG_UNSUPPORTED,
            StudyNode.SECAGG_UNSUPPORTED,
            StudyNode.SECAGG_UNSUPPORTED);
    // nobody advertised keys: as a plain step where no node released, not a protocol failure
    assertThat(((StudyResult.NotComputed) a.outcome()).code())
        .isEqualTo(StudyCoordinator.NO_CONTRIBUTORS);
    assertThat(a.contributors()).isEmpty();
    assertThat(a.secureAggregation().orElseThrow().dropouts())
        .extracting(StudyResult.Dropout::phase)
        .containsOnly("advertise");
    assertThat(a.secureAggregation().orElseThrow().threshold()).isEqualTo(2);
  }
}
