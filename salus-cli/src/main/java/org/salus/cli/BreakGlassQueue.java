package org.salus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.salus.core.ledger.event.ActorProfile;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.store.consent.BreakGlassStore.Session;

/**
 * The steward's review queue of emergency accesses ({@code GET /steward/break-glass}), read from
 * the ledger: one item per access, those awaiting review first, then the reviewed ones, each group
 * oldest first; with who opened it (role, issuer, institution, country, credential hash), the
 * patient's ledger subject, the classes, when it started and ended, how it ended, the review, and
 * the ledger index of each event (for its proof). The stated reason, the review note and how an
 * access ended come from the node's store ({@link BreakGlassSessions}); an access opened before the
 * node stored them shows no reason. Neither reason nor note ever enters the ledger.
 */
final class BreakGlassQueue {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BreakGlassQueue() {}

  static ObjectNode of(
      List<AccessLedger.Indexed> events, Function<String, Optional<Session>> store) {
    Map<String, ObjectNode> items = new LinkedHashMap<>();
    for (AccessLedger.Indexed e : events) {
      switch (e.event()) {
        case LedgerEvent.BreakGlassStart start -> {
          EventContext c = start.context();
          ObjectNode item = JSON.createObjectNode();
          item.put("session", start.sessionId());
          item.put("status", "open");
          item.put("review", "pending");
          item.set("actor", actor(c));
          c.subject().ifPresent(s -> item.put("subject", s.hash().hex()));
          item.put("purpose", c.purpose());
          c.classes().forEach(item.putArray("classes")::add);
          item.put("started", c.time().toString());
          item.put("startIndex", e.index());
          items.put(start.sessionId(), item);
        }
        case LedgerEvent.BreakGlassEnd end -> {
          ObjectNode item = items.get(end.sessionId());
          if (item != null) {
            boolean byNode =
                end.context()
                    .actorProfile()
                    .map(p -> p.role().equals(AccessLedger.NODE_ROLE))
                    .orElse(false);
            item.put("status", "ended");
            item.put("ended", end.context().time().toString());
            item.put("endedBy", byNode ? "time-limit" : "clinician");
            item.put("endIndex", e.index());
          }
        }
        case LedgerEvent.BreakGlassReview review -> {
          ObjectNode item = items.get(review.sessionId());
          if (item != null) {
            item.put("review", "done");
            item.put("reviewIndex", e.index());
          }
        }
        default -> {}
      }
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode list = body.putArray("breakGlass");
    for (boolean reviewed : new boolean[] {false, true}) {
      for (ObjectNode item : items.values()) {
        if (item.get("review").asText().equals("done") == reviewed) {
          store.apply(item.get("session").asText()).ifPresent(s -> stored(item, s));
          list.add(item);
        }
      }
    }
    return body;
  }

  /** What only the node's store knows: the reason, a recovered end, and the review's details. */
  private static void stored(ObjectNode item, Session s) {
    item.put("reason", s.reason());
    s.endedBy().ifPresent(how -> item.put("endedBy", how.wireName()));
    s.review()
        .ifPresent(
            r -> {
              item.put("review", "done");
              ObjectNode v = item.putObject("reviewed");
              v.put("by", r.by());
              v.put("at", r.at().toString());
              v.put("outcome", r.outcome().wireName());
              v.put("note", r.note());
            });
  }

  private static ObjectNode actor(EventContext c) {
    ObjectNode a = JSON.createObjectNode();
    a.put("hash", c.actor().hash().hex());
    c.actorProfile()
        .ifPresent(
            (ActorProfile p) -> {
              a.put("role", p.role());
              a.put("issuer", p.issuer());
              a.put("institution", p.institution());
              a.put("country", p.country());
            });
    return a;
  }
}
