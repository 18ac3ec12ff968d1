package org.salus.store.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.study.Study;
import org.salus.core.study.StudyPurpose;
import org.salus.core.study.governance.StudyPolicy;

/** The steward's policy file: read with defaults, every error names its field, decisions. */
class StudyPolicyJsonTest {

  private static Study study(String purpose, String analyses, String privacy) {
    return StudyJson.read(
        """
        {"id": "s1", "title": "t", "purpose": "%s",
         "cohort": {"indexDate": {"fixed": "2020-01-01"}},
         "analyses": [%s], "nodes": ["a"], "privacy": %s}
        """
            .formatted(purpose, analyses, privacy));
  }

  @Test
  void anEmptyFileIsTheDefaults() {
    assertThat(StudyPolicyJson.read("{}")).isEqualTo(StudyPolicy.defaults());
    assertThat(StudyPolicy.defaults().allowedPurposes())
        .isEqualTo(EnumSet.of(StudyPurpose.HRESCH, StudyPurpose.PUBHLTH));
  }

  @Test
  void decisionsFollowTheDocumentedOrder() {
    StudyPolicy p =
        StudyPolicyJson.read(
            """
            {"allowedPurposes": ["HRESCH", "PUBHLTH"],
             "autoApprove": [{"purposes": ["PUBHLTH"], "analysisTypes": ["count"]},
                             {"institutions": ["Erasmus MC"]}],
             "minCellSize": 10, "maxStudiesPerResearcher": 2, "maxRhoPerStudy": 0.5}
            """);
    String count = "{\"type\": \"count\"}";
    String none = "{}";
    assertThat(p.evaluate(study("TREAT", count, none), Optional.empty(), 0))
        .isInstanceOf(StudyPolicy.Verdict.Rejected.class)
        .hasFieldOrPropertyWithValue("code", StudyPolicy.PURPOSE_NOT_ALLOWED);
    assertThat(p.evaluate(study("PUBHLTH", count, none), Optional.empty(), 2))
        .hasFieldOrPropertyWithValue("code", StudyPolicy.RESEARCHER_LIMIT);
    assertThat(p.evaluate(study("PUBHLTH", count, "{\"rho\": 0.6}"), Optional.empty(), 0))
        .hasFieldOrPropertyWithValue("code", StudyPolicy.RHO_LIMIT);
    assertThat(p.evaluate(study("PUBHLTH", count, none), Optional.empty(), 1))
        .isEqualTo(new StudyPolicy.Verdict.Approved("autoApprove[0]"));
    String histogram =
        "{\"type\": \"histogram\", \"variable\": {\"type\": \"age\"}, \"edges\": [0, 50, 100]}";
    assertThat(p.evaluate(study("PUBHLTH", histogram, none), Optional.empty(), 0))
        .as("an analysis type outside the rule: the steward decides")
        .isInstanceOf(StudyPolicy.Verdict.Pending.class);
    assertThat(p.evaluate(study("HRESCH", histogram, none), Optional.of("Erasmus MC"), 0))
        .isEqualTo(new StudyPolicy.Verdict.Approved("autoApprove[1]"));
    assertThat(p.evaluate(study("HRESCH", histogram, none), Optional.of("Other"), 0))
        .isInstanceOf(StudyPolicy.Verdict.Pending.class);
    assertThat(p.disclosure().minCellSize()).isEqualTo(10);
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> StudyPolicyJson.read("{\"allowedPurposes\": [\"HRESCH\", \"XYZ\"]}"))
        .hasFieldOrPropertyWithValue("code", StudyPolicyJson.INVALID)
        .hasMessageContaining("allowedPurposes[1]")
        .hasMessageContaining("XYZ");
    assertThatThrownBy(
            () ->
                StudyPolicyJson.read("{\"autoApprove\": [{\"analysisTypes\": [\"regression\"]}]}"))
        .hasMessageContaining("autoApprove[0].analysisTypes[0]");
    assertThatThrownBy(() -> StudyPolicyJson.read("{\"minCellSize\": 0}"))
        .hasMessageContaining("minCellSize");
    assertThatThrownBy(() -> StudyPolicyJson.read("{\"maxRhoPerStudy\": -1}"))
        .hasMessageContaining("maxRhoPerStudy");
    assertThatThrownBy(() -> StudyPolicyJson.read("{\"minCelSize\": 3}"))
        .hasMessageContaining("minCelSize");
    assertThatThrownBy(() -> StudyPolicyJson.read("{"))
        .hasFieldOrPropertyWithValue("code", StudyPolicyJson.INVALID)
        .hasMessageContaining("line");
  }
}
