package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;
import org.salus.core.ledger.proof.VerifiedEntry;

/**
 * {@code GET /patient/access-history} end to end (docs/consent.md, "Over HTTP"): the patient lists
 * every access to their data from the node's ledger — who (credential hash, role, issuer, country),
 * purpose, classes, when — each entry with a tlog-proof that verifies against the node's log key.
 */
class AccessHistoryHttpTest extends NodeHttpFixture {

  @Test
  void thePatientSeesTheClinicansAccessesWithVerifyingProofs() throws Exception {
    try (Running n = start(true)) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      n.json(
          n.client.post(
              n.uri("/patient/consent"),
              "application/fhir+json",
              grantConsent(daysFromNow(-1), daysFromNow(10)),
              Optional.of(patient)),
          201);
      n.json(n.get(search("Observation"), clinician), 200);
      n.json(n.get("/fhir/" + patientRef + "/$summary", clinician), 200);
      NodeLedgerService ledger = n.ledger.orElseThrow();
      ledger.publish(ledger.head());

      JsonNode history = n.json(n.get("/patient/access-history", patient), 200);
      List<String> kinds = new ArrayList<>();
      history.get("events").forEach(e -> kinds.add(e.get("event").asText()));
      assertThat(kinds).containsExactly("ConsentChange", "Search", "Summary");

      String actor = ActorId.ofCredential("es-register/clinician-1").hash().hex();
      TrustPolicy policy =
          new TrustPolicy(
              LedgerKeys.logKey(n.node.trustList().current().node("node-dk").orElseThrow()),
              List.of(),
              0);
      for (JsonNode e : history.get("events")) {
        VerifiedEntry proven = ProofFile.parse(e.get("proof").asText()).verify(policy);
        assertThat(proven.index()).isEqualTo(e.get("index").asLong());
        if (!e.get("event").asText().equals("ConsentChange")) {
          assertThat(e.get("actor").asText()).isEqualTo(actor);
          assertThat(e.get("role").asText()).isEqualTo("clinician");
          assertThat(e.get("issuer").asText()).isEqualTo("es-register");
          assertThat(e.get("country").asText()).isEqualTo("ES");
          assertThat(e.get("purpose").asText()).isEqualTo("TREAT");
          assertThat(e.get("at").asText()).isNotBlank();
        } else {
          assertThat(e.get("role").asText()).isEqualTo("patient");
          assertThat(e.get("issuer").asText()).isEqualTo("dk-hospital");
          assertThat(e.get("country").asText()).as("the patient disclosed none").isEmpty();
        }
        // The proven entry is the one shown: its decoded profile matches the listing.
        var context = org.salus.core.ledger.event.EntryCodec.decode(proven.entry()).context();
        assertThat(context.actorProfile().orElseThrow().role()).isEqualTo(e.get("role").asText());
      }
      JsonNode search = history.get("events").get(1);
      assertThat(search.get("classes").toString()).isEqualTo("[\"results\"]");
      assertThat(history.get("events").get(2).get("classes").toString())
          .contains("allergies", "medications", "problems", "results");

      assertThat(n.get("/patient/access-history", clinician).statusCode()).isEqualTo(403);
    }
  }
}
