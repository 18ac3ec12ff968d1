package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.server.http.NodeRoutes;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;

/**
 * Break-glass across restarts (docs/consent.md, "Emergency access"): an access whose time limit
 * passes while the node is down gets exactly one {@code BreakGlassEnd}, at the limit, when the node
 * starts again; an access still inside its window keeps working until its limit; the review queue
 * keeps every stated reason; the steward reviews an ended access once, and the review is in the
 * ledger and survives the next restart.
 */
class BreakGlassRestartTest extends NodeHttpFixture {

  private static final Map<String, String> REASON_A =
      Map.of(NodeRoutes.EMERGENCY_REASON, "unconscious on arrival");
  private static final Map<String, String> REASON_B =
      Map.of(NodeRoutes.EMERGENCY_REASON, "anaphylaxis, allergies unknown");

  @Test
  void accessesOutliveARestartAndTheStewardReviewsEachOnce() throws Exception {
    String otherPatient = otherPatientWithConditions();
    Instant t0 = Instant.now();
    TestClock clock = new TestClock(t0);
    String sessionA;
    String sessionB;
    try (Running n = start(true, clock)) {
      String emergency = n.login("emergency", "profession,country,licence_number,clinical_role");
      n.json(n.get(etreat(patientRef), emergency, REASON_A), 200);
      clock.advance(Duration.ofHours(3));
      n.json(n.get(etreat(otherPatient), emergency, REASON_B), 200);
      JsonNode queue = queue(n);
      sessionA = queue.get(0).get("session").asText();
      sessionB = queue.get(1).get("session").asText();
    }
    Instant startA = t0.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    assertThat(events(LedgerEvent.BreakGlassEnd.class)).isEmpty();

    // Down for a while: A's four hours pass, B's do not.
    clock.set(t0.plus(Duration.ofHours(4)).plus(Duration.ofMinutes(1)));
    try (Running n = new Running(true, clock)) {
      String emergency = n.login("emergency", "profession,country,licence_number,clinical_role");
      String steward = n.login("steward", "node");
      List<LedgerEvent> ends = events(n, LedgerEvent.BreakGlassEnd.class);
      assertThat(ends).hasSize(1);
      LedgerEvent.BreakGlassEnd endA = (LedgerEvent.BreakGlassEnd) ends.get(0);
      assertThat(endA.sessionId()).isEqualTo(sessionA);
      assertThat(endA.context().time()).isEqualTo(startA.plus(Duration.ofHours(4)));
      assertThat(endA.context().actorProfile().orElseThrow().role()).isEqualTo("node");

      // B still works: the same access, no new opening.
      assertThat(n.json(n.get(etreat(otherPatient), emergency, REASON_B), 200).get("entry"))
          .isNotEmpty();
      assertThat(events(n, LedgerEvent.BreakGlassStart.class)).hasSize(2);
      JsonNode queue = queue(n, steward);
      assertThat(queue).hasSize(2);
      assertThat(queue.get(0).get("session").asText()).isEqualTo(sessionA);
      assertThat(queue.get(0).get("status").asText()).isEqualTo("ended");
      assertThat(queue.get(0).get("endedBy").asText()).isEqualTo("restart-recovery");
      assertThat(queue.get(0).get("reason").asText()).isEqualTo("unconscious on arrival");
      assertThat(queue.get(1).get("status").asText()).isEqualTo("open");
      assertThat(queue.get(1).get("reason").asText()).isEqualTo("anaphylaxis, allergies unknown");

      // The steward reviews; an open access waits, bad bodies name the field, once only.
      assertThat(review(n, steward, sessionB, "{\"outcome\": \"justified\"}").statusCode())
          .isEqualTo(409);
      JsonNode bad = n.json(review(n, steward, sessionA, "{\"outcome\": \"fine\"}"), 400);
      assertThat(bad.get("detail").asText()).contains("outcome");
      bad = n.json(review(n, steward, sessionA, "{\"outcome\": \"unjustified\"}"), 400);
      assertThat(bad.get("detail").asText()).contains("note");
      n.json(review(n, steward, "no-such-session", "{\"outcome\": \"justified\"}"), 404);
      assertThat(review(n, emergency, sessionA, "{\"outcome\": \"justified\"}").statusCode())
          .isEqualTo(403);
      JsonNode done =
          n.json(
              review(
                  n,
                  steward,
                  sessionA,
                  "{\"outcome\": \"justified\", \"note\": \"triage record confirms\"}"),
              200);
      assertThat(done.get("outcome").asText()).isEqualTo("justified");
      JsonNode again =
          n.json(
              review(n, steward, sessionA, "{\"outcome\": \"unjustified\", \"note\": \"x\"}"), 409);
      assertThat(again.get("code").asText()).isEqualTo("records.break-glass.reviewed");

      // B passes its limit while the node runs: ended by the time limit at exactly its end.
      clock.set(t0.plus(Duration.ofHours(8)));
      queue = queue(n, steward);
      assertThat(queue.get(0).get("session").asText()).as("pending first").isEqualTo(sessionB);
      assertThat(queue.get(0).get("endedBy").asText()).isEqualTo("time-limit");
      assertThat(queue.get(0).get("review").asText()).isEqualTo("pending");
      assertThat(queue.get(1).get("session").asText()).isEqualTo(sessionA);
      assertThat(queue.get(1).get("review").asText()).isEqualTo("done");
      assertThat(queue.get(1).get("reviewed").get("outcome").asText()).isEqualTo("justified");
      assertThat(queue.get(1).get("reviewIndex").asLong()).isEqualTo(done.get("index").asLong());
    }

    // Another restart changes nothing: one end each, one review, reasons and review kept.
    List<LedgerEvent> ends = events(LedgerEvent.BreakGlassEnd.class);
    assertThat(ends)
        .extracting(e -> ((LedgerEvent.BreakGlassEnd) e).sessionId())
        .containsExactly(sessionA, sessionB);
    List<LedgerEvent> reviews = events(LedgerEvent.BreakGlassReview.class);
    assertThat(reviews).hasSize(1);
    assertThat(((LedgerEvent.BreakGlassReview) reviews.get(0)).justified()).isTrue();
    try (Running n = new Running(true, clock)) {
      String steward = n.login("steward", "node");
      JsonNode queue = queue(n, steward);
      assertThat(queue.get(1).get("reviewed").get("note").asText())
          .isEqualTo("triage record confirms");
      assertThat(queue.get(1).get("reason").asText()).isEqualTo("unconscious on arrival");
      assertThat(queue.get(0).get("reason").asText()).isEqualTo("anaphylaxis, allergies unknown");
      assertThat(events(n, LedgerEvent.BreakGlassEnd.class)).hasSize(2);
    }
    // Neither reason nor note is in the ledger.
    for (LedgerEvent e : events(LedgerEvent.class)) {
      assertThat(e.toString()).doesNotContain("unconscious").doesNotContain("triage");
    }
  }

  private String etreat(String patient) {
    return "/fhir/Condition?patient=" + patient + "&purpose=ETREAT";
  }

  private JsonNode queue(Running n) throws Exception {
    return queue(n, n.login("steward", "node"));
  }

  private JsonNode queue(Running n, String steward) throws Exception {
    return n.json(n.get("/steward/break-glass", steward), 200).get("breakGlass");
  }

  private HttpResponse<String> review(Running n, String token, String session, String body)
      throws Exception {
    return n.client.post(
        n.uri("/steward/break-glass/" + session + "/review"),
        "application/json",
        body,
        Optional.of(token));
  }

  /** The ledger's events of one type, read while the node runs (through its own connection). */
  private List<LedgerEvent> events(Running n, Class<? extends LedgerEvent> type) throws Exception {
    return events(n.records, type);
  }

  private List<LedgerEvent> events(NodeRecords records, Class<? extends LedgerEvent> type) {
    List<LedgerEvent> out = new ArrayList<>();
    for (AccessLedger.Indexed e : records.breakGlassEvents()) {
      if (type.isInstance(e.event())) {
        out.add(e.event());
      }
    }
    return out;
  }

  /** The ledger's events of one type, read while the node is stopped. */
  private List<LedgerEvent> events(Class<? extends LedgerEvent> type) throws Exception {
    List<LedgerEvent> out = new ArrayList<>();
    try (Node node = NodeDirectory.open(nodeDir);
        java.sql.Connection c = node.store().database().connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT entry FROM ledger_entry ORDER BY idx")) {
      while (rs.next()) {
        LedgerEvent e = EntryCodec.decode(rs.getBytes(1));
        if (type.isInstance(e)) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** A second patient of the population, with conditions, for a second simultaneous access. */
  private String otherPatientWithConditions() throws Exception {
    for (Path f : TestPopulation.files()) {
      String id = "";
      int conditions = 0;
      for (JsonNode e : JSON.readTree(f.toFile()).get("entry")) {
        JsonNode r = e.get("resource");
        switch (r.get("resourceType").asText()) {
          case "Patient" -> id = r.get("id").asText();
          case "Condition" -> conditions++;
          default -> {}
        }
      }
      if (conditions > 0 && !("Patient/" + id).equals(patientRef)) {
        return "Patient/" + id;
      }
    }
    throw new AssertionError("the test population has a second patient with conditions");
  }
}
