package org.salus.bench.study;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.salus.core.study.Variable;
import org.salus.core.study.Window;
import org.salus.store.study.NodeAggregates;

/**
 * A federated logistic regression with 10 covariates over three DuckDB nodes of 100,000 persons
 * each (every IRLS round runs one aggregate query per node), and Kaplan–Meier with a log-rank test
 * over the same 300,000 persons. The nodes are queried one after another in one thread.
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

  private final List<SyntheticNode> nodes = new ArrayList<>();
  private final List<NodeAggregates> aggregates = new ArrayList<>();
  private Analysis.Glm glm;
  private Analysis.KaplanMeier km;

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
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    for (SyntheticNode n : nodes) {
      n.close();
    }
  }

  /** The whole fit: every round, every node's SQL aggregate, the hub's update. */
  @Benchmark
  public GlmResult logisticRegression10Covariates3x100k() {
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
