package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.salus.core.error.SalusException;
import org.salus.core.stats.GlmFamily;
import org.salus.core.study.Analysis;
import org.salus.core.study.Study;
import org.salus.core.study.StudyPurpose;
import org.salus.core.study.StudyValidator;
import org.salus.core.study.Variable;

class StudyJsonTest {

  static Path examples() {
    return Path.of(System.getProperty("salus.home", "..")).resolve("docs/examples");
  }

  @Test
  void everyDocumentedExampleReads() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(examples())) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    for (Path f : files) {
      Study study = StudyJson.read(Files.readString(f));
      assertThat(study.nodes()).as(f.toString()).isNotEmpty();
    }
  }

  @Test
  void aYamlDocumentReadsAsItsJsonTwin() throws Exception {
    Study json =
        StudyJson.read(Files.readString(examples().resolve("diabetes-logistic-regression.json")));
    Study yaml =
        StudyJson.read(Files.readString(examples().resolve("diabetes-logistic-regression.yaml")));
    assertThat(yaml).isEqualTo(json);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> StudyJson.read("id: s\ntitle: t\npurpose: HRESCH\nnodes: [a\n"))
        .hasFieldOrPropertyWithValue("code", org.salus.core.study.StudyValidator.INVALID)
        .hasMessageContaining("not valid YAML at line");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                StudyJson.read(
                    Files.readString(examples().resolve("diabetes-logistic-regression.yaml"))
                        .replace("family: binomial", "family: gamma")))
        .hasMessageContaining("analyses[0].family");
  }

  @Test
  void minNodesIsReadAndChecked() throws Exception {
    String json = Files.readString(examples().resolve("diabetes-logistic-regression.json"));
    assertThat(StudyJson.read(json).minNodes()).isEqualTo(1);
    assertThat(StudyJson.read(json.replaceFirst("\\{", "{\"minNodes\": 3,")).minNodes())
        .isEqualTo(3);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> StudyJson.read(json.replaceFirst("\\{", "{\"minNodes\": 4,")))
        .hasFieldOrPropertyWithValue("code", org.salus.core.study.StudyValidator.INVALID)
        .hasMessageContaining("minNodes");
  }

  @Test
  void logisticExampleMeansWhatItSays() throws Exception {
    Study s =
        StudyJson.read(Files.readString(examples().resolve("diabetes-logistic-regression.json")));
    assertThat(s.purpose()).isEqualTo(StudyPurpose.HRESCH);
    Analysis.Glm glm = (Analysis.Glm) s.analyses().get(0);
    assertThat(glm.family()).isEqualTo(GlmFamily.BINOMIAL);
    assertThat(glm.covariates())
        .extracting(Variable::name)
        .containsExactly("age", "sex_female", "bmi");
    assertThat(s.privacy().rho()).hasValue(1.0);
    assertThat(s.privacy().bounds().get("bmi")).isEqualTo(new org.salus.core.dp.Clamp(15, 50));
    assertThat(s.privacy().glmRounds()).isEqualTo(10);
  }

  private static String errorOf(String json) {
    try {
      StudyJson.read(json);
    } catch (SalusException e) {
      assertThat(e.code()).isEqualTo(StudyValidator.INVALID);
      return e.getMessage();
    }
    throw new AssertionError("no error for " + json);
  }

  private static final String HEAD =
      "{\"id\":\"s\",\"title\":\"t\",\"purpose\":\"HRESCH\",\"nodes\":[\"a\"],"
          + "\"cohort\":{\"indexDate\":{\"fixed\":\"2020-01-01\"}},\"analyses\":";

  @Test
  void errorsNameTheField() {
    assertThat(
            errorOf(
                HEAD + "[{\"type\":\"glm\",\"family\":\"logit\",\"outcome\":{\"type\":\"age\"}}]}"))
        .isEqualTo("analyses[0].family: expected one of gaussian, binomial, poisson");
    assertThat(errorOf(HEAD + "[{\"type\":\"histogram\",\"variable\":{\"type\":\"age\"}}]}"))
        .isEqualTo("analyses[0].edges: is required");
    assertThat(errorOf(HEAD + "[{\"type\":\"count\",\"colour\":1}]}"))
        .startsWith("analyses[0].colour: unknown field");
    assertThat(
            errorOf(
                HEAD
                    + "[{\"type\":\"summary\",\"variable\":{\"type\":\"measurement\",\"name\":\"x\",\"code\":{\"system\":\"s\"}}}]}"))
        .isEqualTo("analyses[0].variable.code.code: is required");
    assertThat(errorOf(HEAD.replace("2020-01-01", "2020-13-01") + "[{\"type\":\"count\"}]}"))
        .isEqualTo("cohort.indexDate.fixed: expected a date as YYYY-MM-DD");
    assertThat(errorOf(HEAD.replace("HRESCH", "RESEARCH") + "[{\"type\":\"count\"}]}"))
        .startsWith("purpose: unknown purpose of use");
    assertThat(
            errorOf(
                HEAD
                    + "[{\"type\":\"histogram\",\"variable\":{\"type\":\"age\"},\"edges\":[3,2]}]}"))
        .contains("analyses[0].edges: must be strictly increasing");
    assertThat(errorOf("{\"id\": ")).startsWith("not valid JSON at line 1");
  }

  @Test
  void noPatientDataEchoedForBadValues() {
    assertThatThrownBy(
            () ->
                StudyJson.read(
                    HEAD
                        + "[{\"type\":\"summary\",\"variable\":{\"type\":\"sexIs\",\"sex\":\"secret-value\"}}]}"))
        .hasMessage("analyses[0].variable.sex: expected female, male, other or unknown");
  }
}
