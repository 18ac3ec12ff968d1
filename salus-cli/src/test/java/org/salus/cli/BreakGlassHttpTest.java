package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;

/**
 * Break-glass over HTTP (docs/consent.md, "Emergency access"): an emergency clinician opens an
 * access by stating a reason, later requests reuse it, it ends when the clinician ends it or when
 * its four hours pass; every start and end is in the ledger, shown to the patient, and listed in
 * the steward's review queue.
 */
class BreakGlassHttpTest extends NodeHttpFixture {

  @Test
  void anEmergencyAccessEndsExplicitlyOrAtItsTimeLimitAndTheStewardAndPatientSeeBoth()
      throws Exception {
    TestClock clock = new TestClock(Instant.now());
    try (Running n = start(true, clock)) {
      String patient = n.login("patient", "home_node,record_ref");
      String emergency = n.login("emergency", "profession,country,licence_number,clinical_role");
      String steward = n.login("steward", "node");
      issue("dk-hospital", DK_STATUS, 5, "steward", "steward-other", "node=node-other");
      assertThat(
              n.json(n.get("/steward/break-glass", n.login("steward-other", "node")), 403)
                  .get("code")
                  .asText())
          .as("a steward of another node does not see this node's emergency accesses")
          .isEqualTo("steward.other-node");
      Map<String, String> reason =
          Map.of(org.salus.server.http.NodeRoutes.EMERGENCY_REASON, "unconscious on arrival");
      String etreat = search("Condition") + "&purpose=ETREAT";

      assertThat(n.json(n.get(etreat, emergency, reason), 200).get("entry")).hasSize(conditions);
      clock.advance(Duration.ofMinutes(10));
      n.json(n.get(etreat, emergency, reason), 200);
      JsonNode ended = n.json(endBreakGlass(n, emergency), 200);
      assertThat(n.get("/clinician/break-glass/end?patient=" + patientRef, emergency).statusCode())
          .as("the end is a POST")
          .isNotEqualTo(200);
      n.json(endBreakGlass(n, emergency), 404);

      clock.advance(Duration.ofMinutes(1));
      n.json(n.get(etreat, emergency, reason), 200);
      // The node keeps an access's times to the microsecond, as its database stores them.
      Instant secondStart = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
      clock.advance(Duration.ofHours(5));

      assertThat(n.get("/steward/break-glass", emergency).statusCode()).isEqualTo(403);
      assertThat(n.get("/steward/break-glass", patient).statusCode()).isEqualTo(403);
      JsonNode queue = n.json(n.get("/steward/break-glass", steward), 200).get("breakGlass");
      assertThat(queue).hasSize(2);
      JsonNode first = queue.get(0);
      JsonNode second = queue.get(1);
      assertThat(first.get("session").asText()).isEqualTo(ended.get("session").asText());
      assertThat(first.get("endedBy").asText()).isEqualTo("clinician");
      assertThat(first.get("ended").asText()).isEqualTo(ended.get("ended").asText());
      assertThat(second.get("status").asText()).isEqualTo("ended");
      assertThat(second.get("endedBy").asText()).isEqualTo("time-limit");
      assertThat(Instant.parse(second.get("ended").asText()))
          .isEqualTo(secondStart.plus(Duration.ofHours(4)));
      for (JsonNode item : queue) {
        assertThat(item.get("actor").get("role").asText()).isEqualTo("emergency-clinician");
        assertThat(item.get("actor").get("issuer").asText()).isEqualTo("es-register");
        assertThat(item.get("actor").get("country").asText()).isEqualTo("ES");
        assertThat(item.get("purpose").asText()).isEqualTo("ETREAT");
        assertThat(item.get("reason").asText()).isEqualTo("unconscious on arrival");
        assertThat(item.get("classes").toString()).contains("problems").doesNotContain("results");
      }

      // The patient sees each start and its end, in ledger order, each with a proof.
      NodeLedgerService ledger = n.ledger.orElseThrow();
      ledger.publish(ledger.head());
      JsonNode history = n.json(n.get("/patient/access-history", patient), 200).get("events");
      List<String> kinds = new ArrayList<>();
      history.forEach(e -> kinds.add(e.get("event").asText()));
      assertThat(kinds)
          .containsExactly(
              "BreakGlassStart",
              "Search",
              "Search",
              "BreakGlassEnd",
              "BreakGlassStart",
              "Search",
              "BreakGlassEnd");
      assertThat(history.get(0).get("session").asText())
          .isEqualTo(history.get(3).get("session").asText())
          .isEqualTo(first.get("session").asText());
      assertThat(history.get(4).get("session").asText())
          .isEqualTo(history.get(6).get("session").asText())
          .isEqualTo(second.get("session").asText());
      assertThat(history.get(3).get("role").asText()).isEqualTo("emergency-clinician");
      assertThat(history.get(6).get("role").asText()).as("the node ended it").isEqualTo("node");
      assertThat(history.get(6).get("issuer").asText()).isEqualTo("node-dk");
      assertThat(history.toString()).doesNotContain("unconscious");
      TrustPolicy policy =
          new TrustPolicy(
              LedgerKeys.logKey(n.node.trustList().current().node("node-dk").orElseThrow()),
              List.of(),
              0);
      for (JsonNode e : history) {
        assertThat(ProofFile.parse(e.get("proof").asText()).verify(policy).index())
            .isEqualTo(e.get("index").asLong());
      }
    }
  }

  private java.net.http.HttpResponse<String> endBreakGlass(Running n, String token)
      throws Exception {
    return n.client.post(
        n.uri("/clinician/break-glass/end?patient=" + patientRef),
        "text/plain",
        "",
        Optional.of(token));
  }
}
