package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.server.http.NodeRoutes;

/**
 * The consent routes end to end over mutual TLS (docs/consent.md, "Over HTTP"): a Danish node holds
 * an ingested Synthea patient; the patient (credential from a Danish hospital) manages consent; a
 * clinician credentialed by a Spanish register searches Observations and Conditions and sees only
 * what the patient granted; revocation works on the next request; break-glass is narrow.
 */
class ConsentHttpTest extends NodeHttpFixture {

  @Test
  void aPatientGrantsASpanishClinicianResultsAndRevokesEverything() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");

      JsonNode none = n.json(n.get("/patient/consent", patient), 200);
      assertThat(none.get("version").asInt()).isZero();
      assertThat(none.get("statements")).isNotEmpty();

      JsonNode before = n.json(n.get(search("Observation"), clinician), 200);
      assertThat(before.get("type").asText()).isEqualTo("searchset");
      assertThat(before.get("entry")).isEmpty();
      assertThat(before.has("total")).as("no total counts hidden records").isFalse();

      HttpResponse<String> posted =
          n.client.post(
              n.uri("/patient/consent"),
              "application/fhir+json",
              grantConsent(daysFromNow(-1), daysFromNow(10)),
              Optional.of(patient));
      JsonNode v1 = n.json(posted, 201);
      assertThat(v1.get("version").asInt()).isEqualTo(1);
      JsonNode shown = n.json(n.get("/patient/consent", patient), 200);
      assertThat(shown.get("snapshot").asText()).isEqualTo(v1.get("snapshot").asText());
      assertThat(shown.get("statements").toString()).contains("ES");

      JsonNode granted = n.json(n.get(search("Observation"), clinician), 200);
      assertThat(granted.get("entry")).hasSize(observations);
      assertThat(granted.get("entry").get(0).get("resource").get("resourceType").asText())
          .isEqualTo("Observation");
      assertThat(n.json(n.get(search("Condition"), clinician), 200).get("entry"))
          .as("the grant covers results, not problems")
          .isEmpty();

      JsonNode revoked =
          n.json(
              n.client.post(
                  n.uri("/patient/consent/revoke-all"), "text/plain", "", Optional.of(patient)),
              201);
      assertThat(revoked.get("version").asInt()).isEqualTo(2);
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry")).isEmpty();

      // Roles: a clinician cannot manage consent, a patient cannot search.
      assertThat(n.get("/patient/consent", clinician).statusCode()).isEqualTo(403);
      assertThat(n.get(search("Observation"), patient).statusCode()).isEqualTo(403);
    }
    // Two consent versions and four searches, each an entry in the node's ledger.
    assertThat(ledgerEntries()).isEqualTo(6);
  }

  @Test
  void aGrantByLicenceAndIssuerMatchesOnlyThatLicence() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      String other = n.login("emergency", "profession,country,licence_number,clinical_role");
      String byLicence =
          grantConsent(
              daysFromNow(-1),
              daysFromNow(10),
              actor(
                  "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                  "IRCP",
                  "es-register",
                  "ES-28-1"));
      assertThat(byLicence).contains("IRCP").contains("ES-28-1");
      n.json(
          n.client.post(
              n.uri("/patient/consent"), "application/fhir+json", byLicence, Optional.of(patient)),
          201);
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry"))
          .hasSize(observations);
      assertThat(n.json(n.get(search("Observation"), other), 200).get("entry"))
          .as("another licence from the same register")
          .isEmpty();
    }
  }

  @Test
  void anExpiredGrantStopsWorking() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      n.json(
          n.client.post(
              n.uri("/patient/consent"),
              "application/fhir+json",
              grantConsent(daysFromNow(-20), daysFromNow(-10)),
              Optional.of(patient)),
          201);
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry")).isEmpty();
    }
  }

  @Test
  void anInvalidConsentIsRefusedWithAnOperationOutcomeNamingTheElement() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String bad = grantConsent(daysFromNow(0), daysFromNow(-5)); // ends before it starts
      HttpResponse<String> r =
          n.client.post(
              n.uri("/patient/consent"), "application/fhir+json", bad, Optional.of(patient));
      JsonNode outcome = n.json(r, 400);
      assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
      assertThat(outcome.get("issue").get(0).get("expression").get(0).asText())
          .isEqualTo("Consent.provision.provision[0].period");

      String other =
          grantConsent(daysFromNow(-1), daysFromNow(10)).replace(patientRef, "Patient/someone");
      JsonNode forbidden =
          n.json(
              n.client.post(
                  n.uri("/patient/consent"), "application/fhir+json", other, Optional.of(patient)),
              403);
      assertThat(forbidden.get("issue").get(0).get("expression").get(0).asText())
          .isEqualTo("Consent.patient");
      assertThat(n.json(n.get("/patient/consent", patient), 200).get("version").asInt())
          .as("nothing was recorded")
          .isZero();
    }
  }

  @Test
  void breakGlassNeedsTheEmergencyRoleAndAReasonAndRevealsOnlyTheEmergencyClasses()
      throws Exception {
    try (Running n = start()) {
      String clinician = n.login("clinician", "profession,country,licence_number");
      String emergency = n.login("emergency", "profession,country,licence_number,clinical_role");
      Map<String, String> reason = Map.of(NodeRoutes.EMERGENCY_REASON, "unconscious in A&E");
      String etreat = "&purpose=ETREAT";

      assertThat(n.get(search("Condition") + etreat, clinician, reason).statusCode())
          .isEqualTo(403);
      assertThat(n.get(search("Condition") + etreat, emergency, Map.of()).statusCode())
          .as("no reason stated")
          .isEqualTo(400);
      assertThat(n.json(n.get(search("Condition") + etreat, emergency, reason), 200).get("entry"))
          .hasSize(conditions);
      assertThat(n.json(n.get(search("Observation") + etreat, emergency, reason), 200).get("entry"))
          .as("results are not among the emergency classes")
          .isEmpty();
      assertThat(n.json(n.get(search("Condition"), emergency), 200).get("entry"))
          .as("without ETREAT the consent decides")
          .isEmpty();
    }
    // One break-glass opening (the second ETREAT request reuses the open access) and three
    // searches (the refused ones left no entry).
    assertThat(ledgerEntries()).isEqualTo(4);
  }
}
