package org.salus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.salus.store.consent.BreakGlassStore.Outcome;

/**
 * The body of {@code POST /steward/break-glass/{session}/review}: {@code {"outcome": "justified" |
 * "unjustified", "note": "..."}}. A finding of unjustified needs a note saying why; a note is at
 * most {@value #NOTE_MAX} characters.
 */
record BreakGlassReviewRequest(Outcome outcome, String note) {

  /** The longest note accepted, in characters. */
  static final int NOTE_MAX = 4000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A parsed body or what is wrong with it. */
  sealed interface Parsed {
    record Ok(BreakGlassReviewRequest request) implements Parsed {}

    /** The message names the field. */
    record Invalid(String message) implements Parsed {}
  }

  static Parsed parse(String body) {
    JsonNode b;
    try {
      b = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return invalid(
          "the body is JSON: {\"outcome\": \"justified\"|\"unjustified\", \"note\": ..}");
    }
    if (!b.isObject()) {
      return invalid("the body is a JSON object with outcome and note");
    }
    JsonNode outcome = b.path("outcome");
    if (!outcome.isTextual() || Outcome.of(outcome.asText()).isEmpty()) {
      return invalid("outcome: justified or unjustified");
    }
    JsonNode noteNode = b.path("note");
    if (!noteNode.isMissingNode() && !noteNode.isNull() && !noteNode.isTextual()) {
      return invalid("note: a string");
    }
    String note = noteNode.isTextual() ? noteNode.asText().strip() : "";
    if (note.length() > NOTE_MAX) {
      return invalid("note: at most " + NOTE_MAX + " characters, got " + note.length());
    }
    Outcome o = Outcome.of(outcome.asText()).orElseThrow();
    if (o == Outcome.UNJUSTIFIED && note.isEmpty()) {
      return invalid("note: an unjustified access needs a note saying why");
    }
    return new Parsed.Ok(new BreakGlassReviewRequest(o, note));
  }

  private static Parsed invalid(String message) {
    return new Parsed.Invalid(message);
  }
}
