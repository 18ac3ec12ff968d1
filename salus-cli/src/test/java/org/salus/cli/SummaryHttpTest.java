package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /fhir/Patient/{id}/$summary} and the AllergyIntolerance and MedicationStatement
 * searches end to end (docs/consent.md, "Over HTTP"): the summary holds only the sections the
 * patient granted, and nothing of the rest, not even a count.
 */
class SummaryHttpTest extends NodeHttpFixture {

  @Test
  void withoutAGrantTheSummaryHasEmptySectionsAndCountsNothing() throws Exception {
    try (Running n = start()) {
      String clinician = n.login("clinician", "profession,country,licence_number");
      JsonNode doc = n.json(n.get(summaryPath(), clinician), 200);
      assertThat(doc.get("resourceType").asText()).isEqualTo("Bundle");
      assertThat(doc.get("type").asText()).isEqualTo("document");
      assertThat(doc.has("total")).isFalse();
      assertThat(doc.get("entry")).as("only the Composition and its subject").hasSize(2);
      JsonNode subject = doc.get("entry").get(1).get("resource");
      assertThat(subject.get("resourceType").asText()).isEqualTo("Patient");
      assertThat(subject.size()).as("the id and nothing else").isEqualTo(2);
      Map<String, Integer> sections = sections(doc);
      assertThat(sections)
          .containsExactly(
              Map.entry("Allergies", 0),
              Map.entry("Medications", 0),
              Map.entry("Problems", 0),
              Map.entry("Results", 0));
      assertThat(doc.toString()).doesNotContain("\"Observation\"").doesNotContain("emptyReason");
      assertThat(n.json(n.get(search("MedicationStatement"), clinician), 200).get("entry"))
          .isEmpty();
      assertThat(n.json(n.get(search("AllergyIntolerance"), clinician), 200).get("entry"))
          .isEmpty();
    }
    // One summary and two searches.
    assertThat(ledgerEntries()).isEqualTo(3);
  }

  @Test
  void aGrantedClinicianSeesOnlyTheGrantedSections() throws Exception {
    assertThat(observations).as("the patient has results to hide").isPositive();
    assertThat(medications).as("the patient has medications to show").isPositive();
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      String grant =
          grantConsent(
              daysFromNow(-1),
              daysFromNow(10),
              actor(
                  "https://salus.example.org/fhir/CodeSystem/requester-role",
                  "clinician",
                  "urn:iso:std:iso:3166",
                  "ES"),
              "allergies",
              "medications",
              "problems");
      n.json(
          n.client.post(
              n.uri("/patient/consent"), "application/fhir+json", grant, Optional.of(patient)),
          201);

      JsonNode doc = n.json(n.get(summaryPath(), clinician), 200);
      assertThat(sections(doc))
          .containsExactly(
              Map.entry("Allergies", allergies),
              Map.entry("Medications", medications),
              Map.entry("Problems", conditions),
              Map.entry("Results", 0));
      assertThat(doc.get("entry")).hasSize(2 + allergies + medications + conditions);
      List<String> types = new ArrayList<>();
      doc.get("entry").forEach(e -> types.add(e.get("resource").get("resourceType").asText()));
      assertThat(types).doesNotContain("Observation");
      JsonNode composition = doc.get("entry").get(0).get("resource");
      JsonNode subject = doc.get("entry").get(1);
      assertThat(subject.get("resource").get("resourceType").asText()).isEqualTo("Patient");
      assertThat("Patient/" + subject.get("resource").get("id").asText()).isEqualTo(patientRef);
      assertThat(composition.get("subject").get("reference").asText())
          .isEqualTo(subject.get("fullUrl").asText())
          .startsWith("urn:uuid:");
      assertThat(composition.get("type").get("coding").get(0).get("code").asText())
          .isEqualTo("60591-5");

      assertThat(n.json(n.get(search("MedicationStatement"), clinician), 200).get("entry"))
          .hasSize(medications);
      assertThat(n.json(n.get(search("AllergyIntolerance"), clinician), 200).get("entry"))
          .hasSize(allergies);
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry")).isEmpty();

      // A patient cannot ask for a clinician's summary; an unknown patient looks empty.
      assertThat(n.get(summaryPath(), patient).statusCode()).isEqualTo(403);
      JsonNode unknown = n.json(n.get("/fhir/Patient/nobody/$summary", clinician), 200);
      assertThat(unknown.get("entry")).hasSize(2);
    }
    // A consent version, one summary and three searches (the unknown patient left no entry).
    assertThat(ledgerEntries()).isEqualTo(5);
  }

  private String summaryPath() {
    return "/fhir/" + patientRef + "/$summary";
  }

  /** Section title to number of entries, in document order. */
  private static Map<String, Integer> sections(JsonNode doc) {
    JsonNode composition = doc.get("entry").get(0).get("resource");
    assertThat(composition.get("resourceType").asText()).isEqualTo("Composition");
    Map<String, Integer> m = new LinkedHashMap<>();
    for (JsonNode s : composition.get("section")) {
      m.put(s.get("title").asText(), s.path("entry").size());
    }
    return m;
  }
}
