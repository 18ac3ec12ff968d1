package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.salus.core.record.Code;
import org.salus.core.study.Analysis;
import org.salus.core.study.IndexDate;
import org.salus.core.study.PrivacyParameters;
import org.salus.core.study.Study;
import org.salus.core.study.StudyValidator;
import org.salus.core.study.Variable;
import org.salus.store.study.StudyJson;

/**
 * The studies {@code salus demo} runs are on the class path, read, are valid and say what they
 * count.
 */
class StudyDemoDocumentsTest {

  private static final Code PREDIABETES = new Code("http://snomed.info/sct", "15777000");

  @Test
  void everyDemoStudyReadsAndIsValid() throws IOException {
    assertThat(DemoCommand.STUDIES).hasSize(4);
    for (String name : DemoCommand.STUDIES) {
      Study study = read(name);
      assertThat(StudyValidator.problems(study)).as(name).isEmpty();
      assertThat(study.nodes()).containsExactlyElementsOf(DemoCommand.NODES);
    }
    assertThat(studies().stream().map(Study::id).distinct()).hasSize(DemoCommand.STUDIES.size());
  }

  /** The demo releases everything by choosing its questions, never by loosening the rule. */
  @Test
  void noDemoStudyLowersTheMinimumCellSize() throws IOException {
    for (Study study : studies()) {
      assertThat(study.privacy().minCellSize())
          .as(study.id())
          .isGreaterThanOrEqualTo(PrivacyParameters.DEFAULT_MIN_CELL_SIZE);
    }
  }

  /** Counting prediabetes is said in the title, and never under a variable called diabetes. */
  @Test
  void aStudyThatCountsPrediabetesSaysSo() throws IOException {
    int counted = 0;
    for (Study study : studies()) {
      for (Variable.HasCondition v : conditions(study)) {
        if (v.codes().contains(PREDIABETES)) {
          counted++;
          assertThat(study.title().toLowerCase(Locale.ROOT)).as(study.id()).contains("prediabetes");
          assertThat(v.name().toLowerCase(Locale.ROOT)).as(study.id()).contains("prediabetes");
        }
      }
    }
    assertThat(counted).isEqualTo(1);
  }

  /**
   * Everyone without an event is censored at the cut-off, in the cut-off's bin. That bin must also
   * span a good part of the follow-up: a bin holding little more than the cut-off day would have
   * 1–4 events there at most nodes, and they would withhold the whole curve.
   */
  @Test
  void theSurvivalCurvesCutOffIsWellInsideItsBin() throws IOException {
    int curves = 0;
    for (Study study : studies()) {
      for (Analysis a : study.analyses()) {
        if (a instanceof Analysis.KaplanMeier km
            && study.cohort().indexDate() instanceof IndexDate.Fixed index) {
          curves++;
          long days = ChronoUnit.DAYS.between(index.date(), km.endpoint().dataCutoff());
          assertThat(days / km.binDays()).as(study.id() + " bins before the cut-off").isPositive();
          assertThat(days % km.binDays())
              .as(study.id() + " days of the cut-off's bin before it")
              .isGreaterThanOrEqualTo(km.binDays() / 2);
        }
      }
    }
    assertThat(curves).isEqualTo(1);
  }

  private static List<Variable.HasCondition> conditions(Study study) {
    List<Variable> vars = new ArrayList<>();
    for (Analysis a : study.analyses()) {
      switch (a) {
        case Analysis.Contingency c -> vars.addAll(List.of(c.rows(), c.columns()));
        case Analysis.Glm g -> {
          vars.add(g.outcome());
          vars.addAll(g.covariates());
        }
        case Analysis.Summary s -> vars.add(s.variable());
        case Analysis.Histogram h -> vars.add(h.variable());
        default -> {}
      }
    }
    return vars.stream()
        .flatMap(v -> v instanceof Variable.HasCondition h ? Stream.of(h) : Stream.empty())
        .toList();
  }

  private static List<Study> studies() throws IOException {
    List<Study> out = new ArrayList<>();
    for (String name : DemoCommand.STUDIES) {
      out.add(read(name));
    }
    return out;
  }

  private static Study read(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
      assertThat(in).as(name).isNotNull();
      return StudyJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
