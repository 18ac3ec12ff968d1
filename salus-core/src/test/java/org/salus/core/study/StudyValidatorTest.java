package org.salus.core.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.salus.core.error.SalusException;
import org.salus.core.record.Code;
import org.salus.core.record.Sex;
import org.salus.core.stats.GlmFamily;

class StudyValidatorTest {

  static final Code DIABETES = new Code(Code.SNOMED, "44054006");
  static final Code BMI = new Code(Code.LOINC, "39156-5");

  static Study study(List<Analysis> analyses) {
    Cohort cohort =
        new Cohort(
            new IndexDate.Fixed(LocalDate.of(2020, 1, 1)),
            List.of(),
            List.of(),
            Optional.of(new AgeRange(18, 90)),
            List.of(Sex.FEMALE, Sex.MALE));
    return new Study(
        "s1",
        "Diabetes",
        StudyPurpose.HRESCH,
        cohort,
        analyses,
        List.of("a", "b"),
        PrivacyParameters.defaults());
  }

  @Test
  void logisticRegressionOfDiabetesIsValid() {
    Variable diabetes =
        new Variable.HasCondition("diabetes", List.of(DIABETES), Window.untilIndex());
    Analysis glm =
        new Analysis.Glm(
            GlmFamily.BINOMIAL,
            diabetes,
            List.of(
                new Variable.Age(),
                new Variable.SexIs(Sex.FEMALE),
                new Variable.MeasurementValue("bmi", BMI, new Window(-365, 0))));
    assertThat(StudyValidator.problems(study(List.of(glm, new Analysis.Count())))).isEmpty();
  }

  @Test
  void eachProblemNamesItsField() {
    Analysis badHistogram = new Analysis.Histogram(new Variable.Age(), List.of(10.0, 5.0));
    Analysis binomialOnNumber = new Analysis.Glm(GlmFamily.BINOMIAL, new Variable.Age(), List.of());
    Analysis tableOfNumbers = new Analysis.Contingency(new Variable.Age(), new Variable.SexLabel());
    Analysis badQuantiles =
        new Analysis.Quantiles(new Variable.Age(), 0, 100, 1000, List.of(0.5, 1.5));
    Study s = study(List.of(badHistogram, binomialOnNumber, tableOfNumbers, badQuantiles));
    assertThat(StudyValidator.problems(s))
        .extracting(StudyProblem::field)
        .containsExactly(
            "analyses[0].edges",
            "analyses[1].outcome",
            "analyses[2].rows",
            "analyses[3].probabilities");
  }

  @Test
  void privacyAndCohortRanges() {
    Study s = study(List.of(new Analysis.Count()));
    Study bad =
        new Study(
            s.id(),
            s.title(),
            s.purpose(),
            new Cohort(
                s.cohort().indexDate(),
                List.of(new Criterion.HasCondition(List.of(), Window.untilIndex())),
                List.of(),
                Optional.of(new AgeRange(60, 20)),
                List.of()),
            s.analyses(),
            List.of("a", "a"),
            new PrivacyParameters(0, OptionalDouble.of(-1)));
    assertThat(StudyValidator.problems(bad))
        .extracting(StudyProblem::field)
        .containsExactlyInAnyOrder(
            "nodes",
            "privacy.minCellSize",
            "privacy.rho",
            "cohort.age",
            "cohort.inclusion[0].codes");
  }

  @Test
  void requireValidThrowsWithTheStableCode() {
    assertThatThrownBy(() -> StudyValidator.requireValid(study(List.of())))
        .isInstanceOf(SalusException.class)
        .hasMessageContaining("analyses: at least one analysis")
        .extracting(e -> ((SalusException) e).code())
        .isEqualTo(StudyValidator.INVALID);
  }

  @Test
  void survivalNeedsAnEvent() {
    Analysis km =
        new Analysis.KaplanMeier(
            new Endpoint(List.of(), false, LocalDate.of(2024, 1, 1)), Optional.empty(), 30);
    assertThat(StudyValidator.problems(study(List.of(km))))
        .extracting(StudyProblem::field)
        .containsExactly("analyses[0].endpoint");
  }

  @Test
  void purposesUseHl7Codes() {
    assertThat(StudyPurpose.fromCode("HRESCH")).contains(StudyPurpose.HRESCH);
    assertThat(StudyPurpose.fromCode("hresch")).isEmpty();
  }
}
