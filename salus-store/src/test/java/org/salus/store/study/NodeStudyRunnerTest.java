package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.salus.core.disclosure.Disclosure;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.disclosure.DisclosureRule;
import org.salus.core.record.Code;
import org.salus.core.record.Sex;
import org.salus.core.stats.CoxFit;
import org.salus.core.stats.CoxResult;
import org.salus.core.stats.FitSettings;
import org.salus.core.stats.GlmFamily;
import org.salus.core.stats.KaplanMeier;
import org.salus.core.stats.LogRank;
import org.salus.core.stats.Propose;
import org.salus.core.stats.RiskTable;
import org.salus.core.stats.SurvivalCurve;
import org.salus.core.study.AgeRange;
import org.salus.core.study.Analysis;
import org.salus.core.study.Cohort;
import org.salus.core.study.Criterion;
import org.salus.core.study.Endpoint;
import org.salus.core.study.IndexDate;
import org.salus.core.study.Variable;
import org.salus.core.study.Window;

/** Textbook survival through SQL, cohort criteria, and disclosure at the node on every step. */
class NodeStudyRunnerTest {

  static final LocalDate INDEX = Population.INDEX;
  static final Variable PLACEBO =
      new Variable.HasCondition(
          "placebo", List.of(new Code("urn:test", "PLACEBO")), Window.untilIndex());
  static final Endpoint RELAPSE =
      new Endpoint(List.of(new Code("urn:test", "RELAPSE")), false, LocalDate.of(2030, 1, 1));
  static final Cohort EVERYONE =
      new Cohort(new IndexDate.Fixed(INDEX), List.of(), List.of(), Optional.empty(), List.of());

  /** Loads the Freireich/Gehan data: relapse as a condition, censoring as death (not the event). */
  static void loadLeukemia(Backend.NodeDb db) throws Exception {
    String csv;
    try (InputStream in =
        NodeStudyRunnerTest.class.getResourceAsStream("/study/leukemia-remission.csv")) {
      csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] lines = csv.trim().split("\n", -1);
    try (PreparedStatement person =
            db.connection().prepareStatement("INSERT INTO person VALUES (?, ?, 'female', ?)");
        PreparedStatement cond =
            db.connection()
                .prepareStatement("INSERT INTO condition_occurrence VALUES (?, ?, ?, ?)");
        PreparedStatement death =
            db.connection().prepareStatement("INSERT INTO death VALUES (?, ?, ?)")) {
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].trim().split(",", -1);
        String key = "p" + i;
        LocalDate exit = INDEX.plusDays(Integer.parseInt(f[1]));
        person.setString(1, "r" + i);
        person.setString(2, key);
        person.setDate(3, Date.valueOf(LocalDate.of(1960, 1, 1)));
        person.execute();
        if (f[0].equals("placebo")) {
          insert(cond, "g" + i, key, "PLACEBO", INDEX.minusDays(10));
        }
        if (f[2].equals("1")) {
          insert(cond, "e" + i, key, "RELAPSE", exit);
        } else {
          death.setString(1, "d" + i);
          death.setString(2, key);
          death.setDate(3, Date.valueOf(exit));
          death.execute();
        }
      }
    }
  }

  private static void insert(PreparedStatement ps, String rk, String pk, String code, LocalDate d)
      throws Exception {
    ps.setString(1, rk);
    ps.setString(2, pk);
    ps.setString(3, code);
    ps.setDate(4, Date.valueOf(d));
    ps.execute();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void leukemiaThroughSqlReproducesTheTextbook(Backend backend) throws Exception {
    try (Backend.NodeDb db = backend.open()) {
      loadLeukemia(db);
      NodeAggregates node = new NodeAggregates(db.connection(), EVERYONE);
      RiskTable table = node.riskTable(new Analysis.KaplanMeier(RELAPSE, Optional.of(PLACEBO), 1));
      LogRank.Result lr = LogRank.test(table, "0", "1");
      assertThat(lr.chiSquare()).isCloseTo(16.79, within(0.005));
      assertThat(lr.expected()).isCloseTo(19.25, within(0.005));
      SurvivalCurve sixMp = KaplanMeier.curve(table, "0", 1, 0.95);
      assertThat(sixMp.points().get(6).time()).isEqualTo(23);
      assertThat(sixMp.points().get(6).survival()).isCloseTo(0.448, within(0.0005));

      Analysis.Cox cox = new Analysis.Cox(RELAPSE, List.of(PLACEBO), 1);
      CoxFit fit = CoxFit.start(List.of("placebo"), FitSettings.defaults());
      while (fit.step() instanceof Propose p) {
        fit.accept(node.coxStep(cox, p.beta()));
      }
      CoxResult r = ((CoxFit.Converged) fit.step()).result();
      assertThat(r.coefficients().get(0).estimate()).isCloseTo(1.509, within(0.0005));
      assertThat(r.coefficients().get(0).standardError()).isCloseTo(0.410, within(0.0005));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void inclusionExclusionAndIndexDate(Backend backend) throws Exception {
    Population pop = Population.generate("x", 21, 400);
    try (Backend.NodeDb db = backend.open()) {
      pop.load(db.connection());
      Cohort treated =
          new Cohort(
              new IndexDate.Fixed(INDEX),
              List.of(
                  new Criterion.HasDrug(
                      List.of(new Code(Code.RXNORM, Population.METFORMIN)), new Window(-365, 0))),
              List.of(
                  new Criterion.HasMeasurement(
                      new Code(Code.LOINC, Population.HBA1C),
                      Optional.of(7.5),
                      Optional.empty(),
                      new Window(-365, 0))),
              Optional.of(new AgeRange(40, 120)),
              List.of(Sex.FEMALE, Sex.MALE, Sex.UNKNOWN));
      long expected =
          pop.patients().stream()
              .filter(p -> p.age() >= 40)
              .filter(p -> p.drugs().stream().anyMatch(d -> p.inWindow(d.date(), -365, 0)))
              .filter(
                  p ->
                      p.measurements().stream()
                          .noneMatch(
                              m ->
                                  m.code().equals(Population.HBA1C)
                                      && m.value() >= 7.5
                                      && p.inWindow(m.date(), -365, 0)))
              .count();
      assertThat(new NodeAggregates(db.connection(), treated).count().n())
          .isEqualTo(expected)
          .isPositive();

      Cohort fromDiagnosis =
          new Cohort(
              new IndexDate.FirstCondition(List.of(new Code(Code.SNOMED, Population.DIABETES))),
              List.of(),
              List.of(),
              Optional.of(new AgeRange(60, 200)),
              List.of());
      long diagnosedAt60 =
          pop.patients().stream()
              .flatMap(
                  p ->
                      p.conditions().stream()
                          .filter(c -> c.code().equals(Population.DIABETES))
                          .map(
                              c ->
                                  java.time.temporal.ChronoUnit.DAYS.between(p.birth(), c.date())
                                      / 365.25)
                          .limit(1))
              .filter(age -> Math.floor(age) >= 60)
              .count();
      assertThat(new NodeAggregates(db.connection(), fromDiagnosis).count().n())
          .isEqualTo(diagnosedAt60)
          .isPositive();
    }
  }

  /**
   * Variables with windows around each person's own index date (the first diabetes diagnosis): the
   * grouped joins must use the person's date, not a shared one.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void variablesReadWindowsAroundEachPersonsIndexDate(Backend backend) throws Exception {
    Population pop = Population.generate("idx", 23, 400);
    try (Backend.NodeDb db = backend.open()) {
      pop.load(db.connection());
      Cohort fromDiagnosis =
          new Cohort(
              new IndexDate.FirstCondition(List.of(new Code(Code.SNOMED, Population.DIABETES))),
              List.of(),
              List.of(),
              Optional.empty(),
              List.of());
      NodeAggregates node = new NodeAggregates(db.connection(), fromDiagnosis);
      Code infection = new Code(Code.SNOMED, Population.INFECTION);
      Window before = new Window(-700, -1);
      Window after = new Window(0, 900);
      long withIndex = 0;
      double[] count = new double[3];
      double[] has = new double[3];
      double[] bmi = new double[3];
      for (Population.Patient p : pop.patients()) {
        Optional<LocalDate> index =
            p.conditions().stream()
                .filter(c -> c.code().equals(Population.DIABETES))
                .map(Population.Condition::date)
                .min(LocalDate::compareTo);
        if (index.isEmpty()) {
          continue;
        }
        withIndex++;
        LocalDate i = index.get();
        long k =
            p.conditions().stream()
                .filter(c -> c.code().equals(Population.INFECTION) && inWindow(c.date(), i, before))
                .count();
        add(count, k);
        add(
            has,
            p.conditions().stream()
                    .anyMatch(
                        c -> c.code().equals(Population.INFECTION) && inWindow(c.date(), i, after))
                ? 1
                : 0);
        p.measurements().stream()
            .filter(m -> m.code().equals(Population.BMI) && inWindow(m.date(), i, before))
            .mapToDouble(Population.Measurement::value)
            .average()
            .ifPresent(m -> add(bmi, m));
      }
      assertThat(withIndex).isPositive();
      assertMoments(
          node.moments(new Variable.ConditionCount("infections", List.of(infection), before)),
          count);
      assertThat(count[1]).isPositive();
      assertMoments(
          node.moments(new Variable.HasCondition("infected", List.of(infection), after)), has);
      assertThat(has[1]).isPositive().isLessThan(withIndex);
      assertMoments(
          node.moments(
              new Variable.MeasurementValue("bmi", new Code(Code.LOINC, Population.BMI), before)),
          bmi);
      assertThat(bmi[0]).isPositive().isLessThan(withIndex);
    }
  }

  private static boolean inWindow(LocalDate d, LocalDate index, Window w) {
    return !d.isBefore(index.plusDays(w.fromDays())) && !d.isAfter(index.plusDays(w.toDays()));
  }

  private static void add(double[] moments, double v) {
    moments[0]++;
    moments[1] += v;
    moments[2] += v * v;
  }

  private static void assertMoments(org.salus.core.stats.Moments m, double[] expected) {
    assertThat(m.n()).isEqualTo((long) expected[0]);
    assertThat(m.sum()).isCloseTo(expected[1], within(1e-9 * (1 + Math.abs(expected[1]))));
    assertThat(m.sumOfSquares()).isCloseTo(expected[2], within(1e-9 * (1 + Math.abs(expected[2]))));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void disclosureIsCheckedOnEveryStepAndWithholdsTheWholeStep(Backend backend) throws Exception {
    try (Backend.NodeDb db = backend.open()) {
      Population.generate("tiny", 5, 9).load(db.connection());
      NodeStudyRunner node =
          NodeStudyRunner.of(db.connection(), EVERYONE, DisclosurePolicy.defaults());
      Analysis.Glm glm =
          new Analysis.Glm(
              GlmFamily.GAUSSIAN,
              new Variable.Age(),
              List.of(
                  new Variable.SexIs(Sex.FEMALE),
                  new Variable.MeasurementValue(
                      "bmi", new Code(Code.LOINC, Population.BMI), Window.untilIndex())));
      for (double[] beta : List.of(new double[3], new double[] {50, 1, 0.5})) {
        Disclosure d = node.glmStep(glm, beta);
        assertThat(d).isInstanceOf(Disclosure.Withheld.class);
        assertThat(((Disclosure.Withheld) d).rule())
            .isIn(DisclosureRule.GLM_SATURATION, DisclosureRule.BINARY_LEVEL);
      }
      // count alone (9) is releasable; with a histogram that has a small bin the whole step goes
      assertThat(node.oneRound(List.of(new Analysis.Count())))
          .isInstanceOf(Disclosure.Released.class);
      Disclosure both =
          node.oneRound(
              List.of(
                  new Analysis.Count(),
                  new Analysis.Histogram(new Variable.Age(), List.of(0.0, 50.0, 200.0))));
      assertThat(both).isInstanceOf(Disclosure.Withheld.class);
      assertThat(((Disclosure.Withheld) both).explanation()).startsWith("output 1");
    }
  }
}
