package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /fhir/Observation} end to end (docs/consent.md, "Over HTTP"): a clinician granted
 * {@code correct} on results writes back; the patient sees it with its Provenance; without the
 * grant nothing is stored; an invalid Observation is a 400 naming the element.
 */
class WriteBackHttpTest extends NodeHttpFixture {

  @Test
  void aGrantedClinicianWritesBackAndThePatientSeesItWithProvenance() throws Exception {
    long measurements = rows("measurement");
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      n.json(
          n.client.post(
              n.uri("/patient/consent"),
              "application/fhir+json",
              withCorrect(grantConsent(daysFromNow(-1), daysFromNow(10))),
              Optional.of(patient)),
          201);

      JsonNode written = n.json(post(n, clinician, observation(patientRef)), 201);
      String id = written.get("id").asText();
      assertThat(id).isNotBlank();

      JsonNode mine = n.json(n.get("/patient/observations", patient), 200);
      assertThat(count(mine, "Observation")).isEqualTo(observations + 1);
      assertThat(mine.toString()).contains(id).contains("8867-4");
      JsonNode provenance = provenance(mine);
      assertThat(provenance.get("target").get(0).get("reference").asText())
          .isEqualTo("Observation/" + id);
      assertThat(provenance.has("recorded")).isTrue();
      JsonNode agent = provenance.get("agent").get(0);
      assertThat(agent.get("role").get(0).get("coding").get(0).get("code").asText())
          .isEqualTo("clinician");
      assertThat(agent.get("who").get("identifier").get("value").asText()).hasSize(64);
      assertThat(agent.get("onBehalfOf").get("identifier").get("value").asText())
          .isEqualTo("es-register");
      assertThat(provenance.toString()).contains("\"ES\"").doesNotContain("clinician-1");

      // The clinician sees the written-back result among the granted results.
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry"))
          .hasSize(observations + 1);
    }
    // A consent version, a write-back and a search.
    assertThat(ledgerEntries()).isEqualTo(3);
    assertThat(rows("measurement")).as("mapped as ingest maps it").isEqualTo(measurements + 1);
  }

  @Test
  void withoutAGrantAWriteIsRefusedAndNothingIsStored() throws Exception {
    long measurements = rows("measurement");
    long sources = rows("source_document");
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      HttpResponse<String> refused = post(n, clinician, observation(patientRef));
      JsonNode outcome = n.json(refused, 403);
      assertThat(outcome.get("issue").get(0).get("expression").get(0).asText())
          .isEqualTo("Observation.subject");

      // Read access to results without correct is not a write grant either.
      n.json(
          n.client.post(
              n.uri("/patient/consent"),
              "application/fhir+json",
              grantConsent(daysFromNow(-1), daysFromNow(10)),
              Optional.of(patient)),
          201);
      n.json(post(n, clinician, observation(patientRef)), 403);

      JsonNode mine = n.json(n.get("/patient/observations", patient), 200);
      assertThat(count(mine, "Observation")).isEqualTo(observations);
      assertThat(count(mine, "Provenance")).isZero();
    }
    // Only the consent version: refused writes leave no entry.
    assertThat(ledgerEntries()).isEqualTo(1);
    assertThat(rows("measurement")).isEqualTo(measurements);
    assertThat(rows("source_document")).isEqualTo(sources);
  }

  @Test
  void anInvalidObservationIsA400NamingTheElement() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String noCode = observation(patientRef).replaceAll("\"code\": \\{[^}]*\\}\\]\\},", "");
      assertThat(noCode).doesNotContain("8867-4");
      assertThat(expression(n.json(post(n, patient, noCode), 400))).isEqualTo("Observation.code");
      String noStatus = observation(patientRef).replace("\"status\": \"final\",", "");
      assertThat(expression(n.json(post(n, patient, noStatus), 400)))
          .isEqualTo("Observation.status");
      assertThat(expression(n.json(post(n, patient, "{\"resourceType\": \"Patient\"}"), 400)))
          .isEqualTo("Observation");
    }
  }

  @Test
  void aPatientWritesToTheirOwnRecordOnly() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      n.json(post(n, patient, observation(patientRef)), 201);
      n.json(post(n, patient, observation("Patient/someone-else")), 403);
      JsonNode mine = n.json(n.get("/patient/observations", patient), 200);
      assertThat(count(mine, "Observation")).isEqualTo(observations + 1);
      assertThat(provenance(mine).get("agent").get(0).get("role").get(0).toString())
          .contains("patient");
    }
  }

  private static HttpResponse<String> post(Running n, String token, String body) throws Exception {
    return n.client.post(
        n.uri("/fhir/Observation"), "application/fhir+json", body, Optional.of(token));
  }

  private static String expression(JsonNode outcome) {
    return outcome.get("issue").get(0).get("expression").get(0).asText();
  }

  /** A heart rate for {@code subject}, measured now. */
  private static String observation(String subject) {
    return """
        {"resourceType": "Observation", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
         "subject": {"reference": "SUBJECT"},
         "effectiveDateTime": "NOW",
         "valueQuantity": {"value": 72, "unit": "/min", "system": "http://unitsofmeasure.org",
                           "code": "/min"}}
        """
        .replace("SUBJECT", subject)
        .replace(
            "NOW", daysFromNow(0).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
  }

  /** The grant with {@code correct} (write back) beside {@code access}. */
  private static String withCorrect(String consent) {
    String access = "\"code\": \"access\"}]}]";
    assertThat(consent).contains(access);
    return consent.replace(
        access,
        "\"code\": \"access\"}]}, {\"coding\": [{\"system\":"
            + " \"http://terminology.hl7.org/CodeSystem/consentaction\", \"code\": \"correct\"}]}]");
  }

  private static long count(JsonNode bundle, String type) {
    long c = 0;
    for (JsonNode e : bundle.get("entry")) {
      if (e.get("resource").get("resourceType").asText().equals(type)) {
        c++;
      }
    }
    return c;
  }

  private static JsonNode provenance(JsonNode bundle) {
    for (JsonNode e : bundle.get("entry")) {
      if (e.get("resource").get("resourceType").asText().equals("Provenance")) {
        return e.get("resource");
      }
    }
    throw new AssertionError("no Provenance in " + bundle);
  }
}
