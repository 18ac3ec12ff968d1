package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;
import org.salus.core.ledger.proof.VerifiedEntry;

/**
 * The cross-border story end to end over mutual TLS (issue 4; docs/consent.md, "Over HTTP"): a
 * patient at the Danish node grants clinicians in Spain (role clinician, country ES) ten days of
 * their summary — allergies, problems and results, not medications — and denies mental-health
 * records; a clinician credentialed by the Spanish professional register (an issuer the trust list
 * names) logs in, reads {@code $summary}, pages through searches, sees only the granted classes and
 * nothing of the labelled record, and writes back an Observation the patient then sees with its
 * provenance; on day eleven, and after the patient revokes, the clinician is refused; the patient's
 * access history lists every access with role, country, purpose, classes and a verifying proof.
 */
class CrossBorderHttpTest extends NodeHttpFixture {

  private static final String ES_CLINICIANS =
      actor(
          "https://salus.example.org/fhir/CodeSystem/requester-role",
          "clinician",
          "urn:iso:std:iso:3166",
          "ES");

  @Test
  void aSpanishClinicianReadsTheGrantedSummaryWritesBackAndIsRefusedAfterwards() throws Exception {
    assertThat(observations).as("enough results to page through").isGreaterThanOrEqualTo(3);
    Instant dayZero = Instant.now();
    TestClock clock = new TestClock(dayZero);
    try (Running n = start(true, clock)) {
      String patient = n.login("patient", "home_node,record_ref");
      // The patient's own app files a mental-health result: labelled PSY.
      String psy = n.json(post(n, patient, observation(patientRef, "PSY")), 201).get("id").asText();
      n.json(consent(n, patient, grant()), 201);

      // The Spanish clinician, credentialed by the register in the trust list, logs in at DK.
      String clinician = n.login("clinician", "profession,country,licence_number");
      JsonNode me = n.json(n.get("/me", clinician), 200);
      assertThat(me.get("issuer").asText()).isEqualTo("es-register");

      JsonNode summary = n.json(n.get(summaryPath(), clinician), 200);
      assertThat(sections(summary))
          .containsExactly(
              Map.entry("Allergies", allergies),
              Map.entry("Medications", 0),
              Map.entry("Problems", conditions),
              Map.entry("Results", observations));
      assertThat(summary.has("total")).isFalse();
      assertThat(summary.toString()).doesNotContain(psy).doesNotContain("\"PSY\"");
      assertThat(n.json(n.get(search("MedicationStatement"), clinician), 200).get("entry"))
          .as("medications were not granted")
          .isEmpty();

      // Paging: every visible result once, none hidden counted, the labelled one never.
      int count = (observations + 2) / 3;
      List<String> seen = pages(n, clinician, search("Observation") + "&_count=" + count, count);
      assertThat(seen).hasSize(observations).doesNotHaveDuplicates().doesNotContain(psy);
      assertThat(expression(n.json(n.get(search("Observation") + "&_count=0", clinician), 400)))
          .isEqualTo("_count");
      assertThat(expression(n.json(n.get(search("Observation") + "&_page=xyz", clinician), 400)))
          .isEqualTo("_page");

      // Write-back: stored with provenance, visible to the patient.
      String written =
          n.json(post(n, clinician, observation(patientRef, "")), 201).get("id").asText();
      JsonNode mine = n.json(n.get("/patient/observations", patient), 200);
      JsonNode provenance = provenanceOf(mine, written);
      JsonNode agent = provenance.get("agent").get(0);
      assertThat(agent.get("role").get(0).get("coding").get(0).get("code").asText())
          .isEqualTo("clinician");
      assertThat(agent.get("onBehalfOf").get("identifier").get("value").asText())
          .isEqualTo("es-register");
      assertThat(provenance.toString()).contains("\"ES\"");
      assertThat(pages(n, clinician, search("Observation"), SearchPage.ALL))
          .as("without _count, one page of everything visible")
          .contains(written)
          .hasSize(observations + 1);

      // Day eleven: the grant has lapsed; nothing is shown and nothing may be written.
      clock.set(dayZero.plus(Duration.ofDays(11)));
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry")).isEmpty();
      n.json(post(n, clinician, observation(patientRef, "")), 403);

      // Back inside the ten days, the patient revokes: the next request is refused.
      clock.set(dayZero.plus(Duration.ofMinutes(5)));
      assertThat(n.json(n.get(search("Condition"), clinician), 200).get("entry"))
          .hasSize(conditions);
      n.json(
          n.client.post(
              n.uri("/patient/consent/revoke-all"), "text/plain", "", Optional.of(patient)),
          201);
      n.json(post(n, clinician, observation(patientRef, "")), 403);
      assertThat(n.json(n.get(search("Condition"), clinician), 200).get("entry")).isEmpty();
      assertThat(sections(n.json(n.get(summaryPath(), clinician), 200)).values()).containsOnly(0);

      // The access history: every access, with who, purpose, classes and a verifying proof.
      NodeLedgerService ledger = n.ledger.orElseThrow();
      ledger.publish(ledger.head());
      JsonNode history = n.json(n.get("/patient/access-history", patient), 200).get("events");
      List<String> clinicianEvents = new ArrayList<>();
      TrustPolicy policy =
          new TrustPolicy(
              LedgerKeys.logKey(n.node.trustList().current().node("node-dk").orElseThrow()),
              List.of(),
              0);
      for (JsonNode e : history) {
        VerifiedEntry proven = ProofFile.parse(e.get("proof").asText()).verify(policy);
        assertThat(proven.index()).isEqualTo(e.get("index").asLong());
        assertThat(EntryCodec.decode(proven.entry()).context().time().toString())
            .isEqualTo(e.get("at").asText());
        if (e.get("issuer").asText().equals("es-register")) {
          assertThat(e.get("role").asText()).isEqualTo("clinician");
          assertThat(e.get("country").asText()).isEqualTo("ES");
          assertThat(e.get("purpose").asText()).isEqualTo("TREAT");
          clinicianEvents.add(e.get("event").asText() + " " + e.get("classes"));
        } else {
          assertThat(e.get("role").asText()).isEqualTo("patient");
          assertThat(e.get("issuer").asText()).isEqualTo("dk-hospital");
        }
      }
      int resultPages = (observations + count - 1) / count;
      List<String> expected = new ArrayList<>();
      expected.add("Summary [\"allergies\",\"medications\",\"problems\",\"results\"]");
      expected.add("Search [\"medications\"]");
      for (int i = 0; i < resultPages; i++) {
        expected.add("Search [\"results\"]");
      }
      expected.add("WriteBack [\"results\"]");
      expected.add("Search [\"results\"]");
      expected.add("Search [\"results\"]"); // day eleven, shown nothing
      expected.add("Search [\"problems\"]");
      expected.add("Search [\"problems\"]"); // after the revocation, shown nothing
      expected.add("Summary [\"allergies\",\"medications\",\"problems\",\"results\"]");
      assertThat(clinicianEvents).containsExactlyElementsOf(expected);
      assertThat(history.toString()).doesNotContain("clinician-1").doesNotContain("8867-4");
    }
  }

  /** Follows the next links from {@code first}; returns the resource ids, page by page. */
  private static List<String> pages(Running n, String token, String first, int count)
      throws Exception {
    List<String> ids = new ArrayList<>();
    Set<String> urls = new HashSet<>();
    Optional<String> url = Optional.of(first);
    while (url.isPresent()) {
      assertThat(urls.add(url.get())).as("no page twice").isTrue();
      JsonNode page = n.json(n.get(url.get(), token), 200);
      assertThat(page.has("total")).isFalse();
      assertThat(page.get("entry").size()).isBetween(1, count);
      page.get("entry").forEach(e -> ids.add(e.get("resource").get("id").asText()));
      url = Optional.empty();
      for (JsonNode link : page.get("link")) {
        if (link.get("relation").asText().equals("next")) {
          url = Optional.of(link.get("url").asText());
        }
      }
    }
    return ids;
  }

  /** Ten days for ES clinicians: read allergies, problems, results; write back results; no PSY. */
  private String grant() {
    String g =
        grantConsent(
            daysFromNow(-1), daysFromNow(10), ES_CLINICIANS, "allergies", "problems", "results");
    String access = "\"code\": \"access\"}]}]";
    assertThat(g).contains(access);
    g =
        g.replace(
            access,
            "\"code\": \"access\"}]}, {\"coding\": [{\"system\":"
                + " \"http://terminology.hl7.org/CodeSystem/consentaction\", \"code\":"
                + " \"correct\"}]}]");
    String nested = "\"provision\": {\"provision\": [";
    assertThat(g).contains(nested);
    return g.replace(
        nested,
        nested
            + "{\"id\": \"no-mental-health\", \"type\": \"deny\", \"securityLabel\": [{\"system\":"
            + " \"http://terminology.hl7.org/CodeSystem/v3-ActCode\", \"code\": \"PSY\"}]},");
  }

  private static HttpResponse<String> consent(Running n, String token, String consent)
      throws Exception {
    return n.client.post(
        n.uri("/patient/consent"), "application/fhir+json", consent, Optional.of(token));
  }

  private static HttpResponse<String> post(Running n, String token, String body) throws Exception {
    return n.client.post(
        n.uri("/fhir/Observation"), "application/fhir+json", body, Optional.of(token));
  }

  /** A heart rate for {@code subject}, measured now, labelled {@code label} unless empty. */
  private static String observation(String subject, String label) {
    String meta =
        label.isEmpty()
            ? ""
            : "\"meta\": {\"security\": [{\"system\":"
                + " \"http://terminology.hl7.org/CodeSystem/v3-ActCode\", \"code\": \""
                + label
                + "\"}]},";
    return """
        {"resourceType": "Observation", META "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
         "subject": {"reference": "SUBJECT"},
         "effectiveDateTime": "NOW",
         "valueQuantity": {"value": 72, "unit": "/min", "system": "http://unitsofmeasure.org",
                           "code": "/min"}}
        """
        .replace("META", meta)
        .replace("SUBJECT", subject)
        .replace("NOW", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  private String summaryPath() {
    return "/fhir/" + patientRef + "/$summary";
  }

  private static String expression(JsonNode outcome) {
    return outcome.get("issue").get(0).get("expression").get(0).asText();
  }

  private static Map<String, Integer> sections(JsonNode doc) {
    JsonNode composition = doc.get("entry").get(0).get("resource");
    Map<String, Integer> m = new LinkedHashMap<>();
    for (JsonNode s : composition.get("section")) {
      m.put(s.get("title").asText(), s.path("entry").size());
    }
    return m;
  }

  private static JsonNode provenanceOf(JsonNode bundle, String observationId) {
    for (JsonNode e : bundle.get("entry")) {
      JsonNode r = e.get("resource");
      if (r.get("resourceType").asText().equals("Provenance")
          && r.get("target")
              .get(0)
              .get("reference")
              .asText()
              .equals("Observation/" + observationId)) {
        return r;
      }
    }
    throw new AssertionError("no Provenance of Observation/" + observationId);
  }
}
