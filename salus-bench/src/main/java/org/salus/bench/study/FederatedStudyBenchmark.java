package org.salus.bench.study;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.salus.core.disclosure.Disclosure;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.record.Code;
import org.salus.core.record.Sex;
import org.salus.core.stats.FitSettings;
import org.salus.core.stats.GlmFamily;
import org.salus.core.stats.GlmFit;
import org.salus.core.stats.GlmResult;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.KaplanMeier;
import org.salus.core.stats.LogRank;
import org.salus.core.stats.Propose;
import org.salus.core.stats.RiskTable;
import org.salus.core.study.AgeRange;
import org.salus.core.study.Analysis;
import org.salus.core.study.Cohort;
import org.salus.core.study.Endpoint;
import org.salus.core.study.IndexDate;
import org.salus.core.study.PrivacyParameters;
import org.salus.core.study.Study;
import org.salus.core.study.StudyPurpose;
import org.salus.core.study.Variable;
import org.salus.core.study.Window;
import org.salus.core.study.run.StudyCoordinator;
import org.salus.core.study.run.StudyResult;
import org.salus.store.study.NodeAggregates;
import org.salus.store.study.NodeStudyRunner;
import org.salus.store.study.Snapshot;

/**
 * A federated logistic regression with 10 covariates over three DuckDB nodes of 100,000 persons
 * each, and Kaplan–Meier with a log-rank test and a mean over the same 300,000 persons.
 *
 * <p>The study benchmarks go through {@link StudyCoordinator} and nodes that answer as a local node
 * does: a fit builds each node's design table (one row per person) at its first round, then every
 * IRLS round is one aggregate query per node, checked by disclosure control. {@code parallel} asks
 * the three nodes of a round at once (a pool of three threads), else one after another. {@code
 * glmRound3x100k} is one round over design tables already built, and {@code
 * logisticRegressionCohortEachRound3x100k} the older form that selects the cohort and computes the
 * variables anew in every round.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
public class FederatedStudyBenchmark {

  @Param("100000")
  int personsPerNode;

  @Param({"true", "false"})
  boolean parallel;

  private final List<SyntheticNode> nodes = new ArrayList<>();
  private final List<NodeAggregates> aggregates = new ArrayList<>();
  private Analysis.Glm glm;
  private Analysis.KaplanMeier km;
  private Study fitStudy;
  private Study meanStudy;
  private ExecutorService pool;
  private StudyCoordinator coordinator;
  private final List<NodeStudyRunner> runners = new ArrayList<>();
  private final List<Snapshot> designs = new ArrayList<>();
  private double[] beta;

  private static Code snomed(String c) {
    return new Code(Code.SNOMED, c);
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Cohort cohort =
        new Cohort(
            new IndexDate.Fixed(LocalDate.of(2020, 1, 1)),
            List.of(),
            List.of(),
            Optional.of(new AgeRange(18, 100)),
            List.of(Sex.FEMALE, Sex.MALE));
    for (int k = 0; k < 3; k++) {
      SyntheticNode n = new SyntheticNode(personsPerNode, 0.1 + 0.2 * k);
      nodes.add(n);
      aggregates.add(new NodeAggregates(n.connection, cohort));
    }
    List<Variable> covariates = new ArrayList<>();
    covariates.add(new Variable.Age());
    covariates.add(new Variable.SexIs(Sex.FEMALE));
    String[] names = {"", "hypertension", "ckd", "copd", "smoker", "heart_failure"};
    for (int i = 1; i < SyntheticNode.CONDITIONS.length; i++) {
      covariates.add(
          new Variable.HasCondition(
              names[i], List.of(snomed(SyntheticNode.CONDITIONS[i][0])), Window.untilIndex()));
    }
    String[] mnames = {"bmi", "sbp", "cholesterol"};
    for (int i = 0; i < SyntheticNode.MEASUREMENTS.length; i++) {
      covariates.add(
          new Variable.MeasurementValue(
              mnames[i],
              new Code(Code.LOINC, SyntheticNode.MEASUREMENTS[i][0]),
              new Window(-365, 0)));
    }
    Variable diabetes =
        new Variable.HasCondition(
            "diabetes", List.of(snomed(SyntheticNode.CONDITIONS[0][0])), Window.untilIndex());
    glm = new Analysis.Glm(GlmFamily.BINOMIAL, diabetes, covariates);
    km =
        new Analysis.KaplanMeier(
            new Endpoint(List.of(snomed("230690007")), false, LocalDate.of(2024, 1, 1)),
            Optional.of(diabetes),
            30);
    fitStudy = study(cohort, glm);
    meanStudy = study(cohort, new Analysis.Summary(new Variable.Age()));
    pool = Executors.newFixedThreadPool(3);
    coordinator =
        parallel
            ? new StudyCoordinator(FitSettings.defaults(), pool)
            : new StudyCoordinator(FitSettings.defaults());
    for (SyntheticNode n : nodes) {
      NodeStudyRunner r = NodeStudyRunner.of(n.connection, cohort, DisclosurePolicy.defaults());
      runners.add(r);
      designs.add(r.snapshot(glm));
    }
    beta = new double[glm.covariates().size() + 1];
    beta[0] = -2;
    beta[1] = 0.01;
  }

  private static Study study(Cohort cohort, Analysis analysis) {
    return new Study(
        "bench",
        "bench",
        StudyPurpose.HRESCH,
        cohort,
        List.of(analysis),
        List.of(),
        PrivacyParameters.defaults());
  }

  private StudyResult.Outcome run(Study study) {
    List<BenchNode> studyNodes = new ArrayList<>();
    for (int k = 0; k < nodes.size(); k++) {
      studyNodes.add(new BenchNode("node" + k, nodes.get(k).connection));
    }
    try {
      StudyResult.Outcome o = coordinator.run(study, studyNodes).analyses().get(0).outcome();
      if (o instanceof StudyResult.NotComputed n) {
        throw new IllegalStateException(n.code() + ": " + n.message());
      }
      return o;
    } finally {
      studyNodes.forEach(BenchNode::close);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    designs.forEach(Snapshot::close);
    pool.close();
    for (SyntheticNode n : nodes) {
      n.close();
    }
  }

  /**
   * The whole fit through the coordinator: design tables, every round (one aggregate query and
   * disclosure control per node), the hub's updates.
   */
  @Benchmark
  public StudyResult.Outcome logisticRegression10Covariates3x100k() {
    return run(fitStudy);
  }

  /** One IRLS round over the design tables, disclosure control included. */
  @Benchmark
  public List<Disclosure> glmRound3x100k() throws Exception {
    List<Future<Disclosure>> f = new ArrayList<>();
    for (int k = 0; k < runners.size(); k++) {
      NodeStudyRunner r = runners.get(k);
      Snapshot s = designs.get(k);
      f.add(
          parallel
              ? pool.submit(() -> r.step(s, beta))
              : java.util.concurrent.CompletableFuture.completedFuture(r.step(s, beta)));
    }
    List<Disclosure> out = new ArrayList<>();
    for (Future<Disclosure> d : f) {
      out.add(d.get());
    }
    return out;
  }

  /** The mean age over the three nodes through the coordinator (in process, no HTTP). */
  @Benchmark
  public StudyResult.Outcome mean3x100k() {
    return run(meanStudy);
  }

  /** The older form, one thread: cohort and variables computed anew in every round. */
  @Benchmark
  public GlmResult logisticRegressionCohortEachRound3x100k() {
    List<String> names = new ArrayList<>(List.of("(intercept)"));
    glm.covariates().forEach(v -> names.add(v.name()));
    GlmFit fit = GlmFit.start(GlmFamily.BINOMIAL, names, FitSettings.defaults());
    while (fit.step() instanceof Propose p) {
      fit.accept(
          GlmStatistics.sum(aggregates.stream().map(a -> a.glmStep(glm, p.beta())).toList()));
    }
    return ((GlmFit.Converged) fit.step()).result();
  }

  /** Risk tables from three nodes, the two curves and the log-rank test. */
  @Benchmark
  public LogRank.Result kaplanMeier3x100k() {
    RiskTable t =
        aggregates.stream().map(a -> a.riskTable(km)).reduce(RiskTable::plus).orElseThrow();
    KaplanMeier.curve(t, "1", 30, 0.95);
    KaplanMeier.curve(t, "0", 30, 0.95);
    return LogRank.test(t, "0", "1");
  }
}
