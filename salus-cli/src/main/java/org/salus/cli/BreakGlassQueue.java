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

/**
 * The steward's review queue of emergency accesses ({@code GET /steward/break-glass}), read from
 * the ledger: one item per access, oldest first, with who opened it (role, issuer, institution,
 * country, credential hash), the patient's ledger subject, the classes, when it started and ended,
 * whether the clinician ended it or the time limit did, and the ledger index of each event (for its
 * proof). The stated reason comes from the running node's memory, so an access opened before the
 * node last started shows none; it never enters the ledger.
 */
final class BreakGlassReview {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BreakGlassReview() {}

  static ObjectNode of(
      List<AccessLedger.Indexed> events, Function<String, Optional<String>> reasons) {
    Map<String, ObjectNode> items = new LinkedHashMap<>();
    for (AccessLedger.Indexed e : events) {
      switch (e.event()) {
        case LedgerEvent.BreakGlassStart start -> {
          EventContext c = start.context();
          ObjectNode item = JSON.createObjectNode();
          item.put("session", start.sessionId());
          item.put("status", "open");
          item.set("actor", actor(c));
          c.subject().ifPresent(s -> item.put("subject", s.hash().hex()));
          item.put("purpose", c.purpose());
          c.classes().forEach(item.putArray("classes")::add);
          item.put("started", c.time().toString());
          item.put("startIndex", e.index());
          reasons.apply(start.sessionId()).ifPresent(r -> item.put("reason", r));
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
        default -> {}
      }
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode list = body.putArray("breakGlass");
    items.values().forEach(list::add);
    return body;
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
