package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.salus.core.disclosure.Disclosure;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.record.Code;
import org.salus.core.record.Sex;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.CoxFit;
import org.salus.core.stats.CoxStatistics;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.FitSettings;
import org.salus.core.stats.GlmFamily;
import org.salus.core.stats.GlmFit;
import org.salus.core.stats.GlmResult;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.Moments;
import org.salus.core.stats.Propose;
import org.salus.core.stats.RiskTable;
import org.salus.core.study.AgeRange;
import org.salus.core.study.Analysis;
import org.salus.core.study.Cohort;
import org.salus.core.study.Endpoint;
import org.salus.core.study.IndexDate;
import org.salus.core.study.Variable;
import org.salus.core.study.Window;

/** The node SQL on three simulated nodes per engine, against computation in Java. */
class StudySqlTest {

  static final Cohort COHORT =
      new Cohort(
          new IndexDate.Fixed(Population.INDEX),
          List.of(),
          List.of(),
          Optional.of(new AgeRange(18, 90)),
          List.of(Sex.FEMALE, Sex.MALE));
  static final List<Population> POPULATIONS =
      List.of(
          Population.generate("a", 11, 260),
          Population.generate("b", 12, 180),
          Population.generate("c", 13, 320));
  static final Window YEAR = new Window(-365, 0);
  static final Variable AGE = new Variable.Age();
  static final Variable FEMALE = new Variable.SexIs(Sex.FEMALE);
  static final Variable BMI = new Variable.MeasurementValue("bmi", code(Population.BMI), YEAR);
  static final Variable HBA1C =
      new Variable.MeasurementValue("hba1c", code(Population.HBA1C), YEAR);
  static final Variable DIABETES =
      new Variable.HasCondition(
          "diabetes", List.of(code(Population.DIABETES)), Window.untilIndex());
  static final Variable INFECTIONS =
      new Variable.ConditionCount("infections", List.of(code(Population.INFECTION)), YEAR);
  static final Endpoint STROKE =
      new Endpoint(List.of(code(Population.STROKE)), false, Population.CUTOFF);

  private static final Map<Backend, List<Backend.NodeDb>> NODES = new EnumMap<>(Backend.class);

  static Code code(String c) {
    return new Code(Code.SNOMED, c);
  }

  static synchronized List<Backend.NodeDb> nodes(Backend backend) throws Exception {
    if (!NODES.containsKey(backend)) {
      List<Backend.NodeDb> dbs = new ArrayList<>();
      for (Population p : POPULATIONS) {
        Backend.NodeDb db = backend.open();
        p.load(db.connection());
        dbs.add(db);
      }
      NODES.put(backend, dbs);
    }
    return NODES.get(backend);
  }

  @AfterAll
  static void closeAll() throws Exception {
    for (List<Backend.NodeDb> dbs : NODES.values()) {
      for (Backend.NodeDb db : dbs) {
        db.close();
      }
    }
    NODES.clear();
  }

  static List<NodeStudyRunner> runners(Backend backend, Cohort cohort) throws Exception {
    return nodes(backend).stream()
        .map(db -> NodeStudyRunner.of(db.connection(), cohort, DisclosurePolicy.defaults()))
        .toList();
  }

  static List<NodeAggregates> aggregates(Backend backend, Cohort cohort) throws Exception {
    return nodes(backend).stream().map(db -> new NodeAggregates(db.connection(), cohort)).toList();
  }

  static Function<Population.Patient, Optional<Double>> of(Function<Population.Patient, Double> f) {
    return p -> Optional.of(f.apply(p));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void logisticRegressionOverThreeNodesEqualsThePooledFit(Backend backend) throws Exception {
    glm(
        backend,
        GlmFamily.BINOMIAL,
        DIABETES,
        of(p -> p.has(Population.DIABETES, -73000, 0)),
        List.of(AGE, FEMALE, BMI),
        List.of(
            of(p -> (double) p.age()),
            of(Population.Patient::female),
            p -> p.mean(Population.BMI, -365, 0)));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void linearRegressionOverThreeNodesEqualsThePooledFit(Backend backend) throws Exception {
    glm(
        backend,
        GlmFamily.GAUSSIAN,
        HBA1C,
        p -> p.mean(Population.HBA1C, -365, 0),
        List.of(AGE, FEMALE, BMI),
        List.of(
            of(p -> (double) p.age()),
            of(Population.Patient::female),
            p -> p.mean(Population.BMI, -365, 0)));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void poissonRegressionOverThreeNodesEqualsThePooledFit(Backend backend) throws Exception {
    glm(
        backend,
        GlmFamily.POISSON,
        INFECTIONS,
        of(p -> p.count(Population.INFECTION, -365, 0)),
        List.of(AGE, FEMALE, DIABETES),
        List.of(
            of(p -> (double) p.age()),
            of(Population.Patient::female),
            of(p -> p.has(Population.DIABETES, -73000, 0))));
  }

  private void glm(
      Backend backend,
      GlmFamily family,
      Variable outcome,
      Function<Population.Patient, Optional<Double>> y,
      List<Variable> covariates,
      List<Function<Population.Patient, Optional<Double>>> xs)
      throws Exception {
    Analysis.Glm glm = new Analysis.Glm(family, outcome, covariates);
    List<NodeStudyRunner> nodes = runners(backend, COHORT);
    List<String> names = new ArrayList<>(List.of("(intercept)"));
    covariates.forEach(v -> names.add(v.name()));
    GlmFit fit = GlmFit.start(family, names, FitSettings.defaults());
    List<Snapshot> snapshots = nodes.stream().map(n -> n.snapshot(glm)).toList();
    while (fit.step() instanceof Propose step) {
      List<GlmStatistics> released = new ArrayList<>();
      for (int k = 0; k < nodes.size(); k++) {
        Disclosure d = nodes.get(k).step(snapshots.get(k), step.beta());
        assertThat(d).as("iteration %d", step.iteration()).isInstanceOf(Disclosure.Released.class);
        GlmStatistics s = (GlmStatistics) ((Disclosure.Released) d).values().get(0);
        // the one-query form (cohort CTE each time) gives the same sums as the snapshot
        Disclosure direct = nodes.get(k).glmStep(glm, step.beta());
        GlmStatistics t = (GlmStatistics) ((Disclosure.Released) direct).values().get(0);
        assertThat(s.n()).isEqualTo(t.n());
        assertThat(s.deviance())
            .isCloseTo(t.deviance(), within(1e-9 * (1 + Math.abs(t.deviance()))));
        released.add(s);
      }
      fit.accept(GlmStatistics.sum(released));
    }
    snapshots.forEach(Snapshot::close);
    GlmResult result = ((GlmFit.Converged) fit.step()).result();
    List<Reference.Row> rows = Reference.rows(POPULATIONS, y, xs);
    double[] pooled = Reference.pooledIrls(family, rows);
    assertThat(result.n()).isEqualTo(rows.size());
    double[] se = Reference.standardErrors(family, rows, pooled);
    for (int j = 0; j < pooled.length; j++) {
      assertThat(result.estimates()[j]).as(names.get(j)).isCloseTo(pooled[j], within(1e-8));
      assertThat(result.coefficients().get(j).standardError())
          .as("se of %s", names.get(j))
          .isCloseTo(se[j], within(1e-7 * se[j]));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void descriptivesEqualJavaComputation(Backend backend) throws Exception {
    List<NodeAggregates> nodes = aggregates(backend, COHORT);
    List<Population.Patient> cohort =
        POPULATIONS.stream()
            .flatMap(p -> p.patients().stream())
            .filter(Reference::inCohort)
            .toList();
    assertThat(nodes.stream().mapToLong(n -> n.count().n()).sum()).isEqualTo(cohort.size());

    Moments m = nodes.stream().map(n -> n.moments(HBA1C)).reduce(Moments::plus).orElseThrow();
    double[] hba1c =
        cohort.stream()
            .flatMap(p -> p.mean(Population.HBA1C, -365, 0).stream())
            .mapToDouble(d -> d)
            .toArray();
    assertThat(m.n()).isEqualTo(hba1c.length);
    assertThat(m.summary().mean())
        .isCloseTo(java.util.Arrays.stream(hba1c).average().orElseThrow(), within(1e-10));

    List<Double> edges = List.of(18.0, 30.0, 50.0, 70.0, 90.0);
    BinCounts h =
        nodes.stream()
            .map(n -> n.histogram(new Analysis.Histogram(AGE, edges)))
            .reduce(BinCounts::plus)
            .orElseThrow();
    long[] expected = new long[4];
    long above = 0;
    for (Population.Patient p : cohort) {
      int bin = p.age() < 30 ? 0 : p.age() < 50 ? 1 : p.age() < 70 ? 2 : p.age() < 90 ? 3 : 4;
      if (bin == 4) {
        above++;
      } else {
        expected[bin]++;
      }
    }
    assertThat(h.counts()).containsExactly(expected[0], expected[1], expected[2], expected[3]);
    assertThat(h.above()).isEqualTo(above);
    assertThat(h.below()).isZero();

    CrossTable t =
        nodes.stream()
            .map(n -> n.contingency(new Analysis.Contingency(new Variable.SexLabel(), DIABETES)))
            .reduce(CrossTable::plus)
            .orElseThrow();
    TreeMap<CrossTable.Cell, Long> cells = new TreeMap<>();
    for (Population.Patient p : cohort) {
      cells.merge(
          new CrossTable.Cell(
              p.sex().toLowerCase(java.util.Locale.ROOT),
              p.has(Population.DIABETES, -73000, 0) == 1 ? "1" : "0"),
          1L,
          Long::sum);
    }
    assertThat(t).isEqualTo(new CrossTable(cells));

    Analysis.Quantiles q = new Analysis.Quantiles(BMI, 10, 50, 4000, List.of(0.25, 0.5, 0.75));
    BinCounts fine =
        nodes.stream().map(n -> n.fineHistogram(q)).reduce(BinCounts::plus).orElseThrow();
    double[] bmi =
        cohort.stream()
            .flatMap(p -> p.mean(Population.BMI, -365, 0).stream())
            .mapToDouble(d -> d)
            .sorted()
            .toArray();
    assertThat(fine.total()).isEqualTo(bmi.length);
    assertThat(fine.quantiles(List.of(0.5)).get(0)).isCloseTo(bmi[bmi.length / 2], within(0.05));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void kaplanMeierRiskTableEqualsJavaComputation(Backend backend) throws Exception {
    Analysis.KaplanMeier km = new Analysis.KaplanMeier(STROKE, Optional.of(DIABETES), 90);
    RiskTable fromSql =
        aggregates(backend, COHORT).stream()
            .map(n -> n.riskTable(km))
            .reduce(RiskTable::plus)
            .orElseThrow();
    List<RiskTable.Row> rows = new ArrayList<>();
    for (Population.Patient p :
        POPULATIONS.stream()
            .flatMap(x -> x.patients().stream())
            .filter(Reference::inCohort)
            .toList()) {
      int[] s = p.survival();
      rows.add(
          new RiskTable.Row(
              p.has(Population.DIABETES, -73000, 0) == 1 ? "1" : "0", s[0] / 90, s[1], 1));
    }
    assertThat(fromSql).isEqualTo(new RiskTable(rows));
    assertThat(fromSql.rows().stream().mapToLong(RiskTable.Row::events).sum()).isGreaterThan(10);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void coxStatisticsAndFitEqualJavaComputation(Backend backend) throws Exception {
    Analysis.Cox cox = new Analysis.Cox(STROKE, List.of(AGE, DIABETES), 30);
    List<NodeAggregates> nodes = aggregates(backend, COHORT);
    List<Population.Patient> cohort =
        POPULATIONS.stream()
            .flatMap(p -> p.patients().stream())
            .filter(Reference::inCohort)
            .toList();
    Function<double[], CoxStatistics> java =
        beta -> {
          List<CoxStatistics.Bin> bins = new ArrayList<>();
          for (Population.Patient p : cohort) {
            int[] s = p.survival();
            double[] x = {p.age(), p.has(Population.DIABETES, -73000, 0)};
            double r = Math.exp(beta[0] * x[0] + beta[1] * x[1]);
            bins.add(
                new CoxStatistics.Bin(
                    s[0] / 30,
                    s[1],
                    1,
                    new double[] {s[1] * x[0], s[1] * x[1]},
                    r,
                    new double[] {r * x[0], r * x[1]},
                    new double[] {
                      r * x[0] * x[0], r * x[0] * x[1], r * x[1] * x[0], r * x[1] * x[1]
                    }));
          }
          return new CoxStatistics(2, bins);
        };
    List<Snapshot> snaps = nodes.stream().map(n -> n.snapshot(cox)).toList();
    org.salus.core.stats.CoxResult viaSnapshot =
        fitCoxRaw(
            beta ->
                snaps.stream()
                    .map(sn -> (CoxStatistics) sn.step(beta))
                    .reduce(CoxStatistics::plus)
                    .orElseThrow());
    snaps.forEach(Snapshot::close);
    org.salus.core.stats.CoxResult sql =
        fitCoxRaw(
            beta ->
                nodes.stream()
                    .map(n -> n.coxStep(cox, beta))
                    .reduce(CoxStatistics::plus)
                    .orElseThrow());
    org.salus.core.stats.CoxResult ref = fitCoxRaw(java);
    for (int j = 0; j < 2; j++) {
      assertThat(sql.coefficients().get(j).estimate())
          .isCloseTo(ref.coefficients().get(j).estimate(), within(1e-8));
    }
    assertThat(sql.events()).isEqualTo(ref.events()).isGreaterThan(10);
    assertThat(viaSnapshot.coefficients().get(1).estimate())
        .isCloseTo(ref.coefficients().get(1).estimate(), within(1e-8));
  }

  private static org.salus.core.stats.CoxResult fitCoxRaw(Function<double[], CoxStatistics> stats) {
    CoxFit fit = CoxFit.start(List.of("age", "diabetes"), FitSettings.defaults());
    while (fit.step() instanceof Propose p) {
      fit.accept(stats.apply(p.beta()));
    }
    return ((CoxFit.Converged) fit.step()).result();
  }
}
