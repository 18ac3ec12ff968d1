package org.salus.server.ledger;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.witness.AddCheckpointRequest;
import org.salus.core.ledger.witness.KeyRotationRequest;
import org.salus.core.ledger.witness.WitnessOutcome;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.http.Guard;
import org.salus.server.http.ProblemException;
import org.salus.server.login.Principal;

/**
 * The handlers of the ledger routes: the c2sp.org/tlog-witness add-checkpoint endpoint other nodes
 * call, and the auditor's read endpoints. Access is checked by the {@link Guard} before these run.
 */
public final class LedgerRoutes {

  /** The most entries one {@code GET /ledger/entries} returns. */
  public static final int MAX_PAGE = 1000;

  private static final int MAX_BODY = 64 * 1024;

  private final LedgerPort ledger;

  public LedgerRoutes(LedgerPort ledger) {
    this.ledger = ledger;
  }

  /**
   * {@code POST /witness/add-checkpoint}: 200 with the cosignature line; 409 with the latest size
   * ({@code text/x.tlog.size}); 403 for a bad signature or another node's log; 422 for a fork; 400
   * for a malformed request (c2sp.org/tlog-witness).
   */
  public void addCheckpoint(Context ctx) {
    TrustedNodeEntry peer = ctx.attribute(Guard.PEER_NODE);
    if (peer == null) {
      throw new ProblemException(403, "witness.no-peer", "the caller is not a federation node");
    }
    if (ctx.body().length() > MAX_BODY) {
      throw new ProblemException(400, "ledger.witness.malformed", "the request is too large");
    }
    answer(ctx, ledger.addCheckpoint(peer, AddCheckpointRequest.parse(ctx.body())));
  }

  /**
   * {@code POST /witness/key-rotation}: the calling node's rotation proof (docs/ledger.md). 200
   * with the cosignature line of the handover checkpoint when the new key is accepted (or was
   * before); 409 with the latest size; 403 when the handover is not signed by the key the witness
   * holds; 400 when the proof is not a valid rotation; 422 when it contradicts what was cosigned.
   */
  public void addKeyRotation(Context ctx) {
    TrustedNodeEntry peer = ctx.attribute(Guard.PEER_NODE);
    if (peer == null) {
      throw new ProblemException(403, "witness.no-peer", "the caller is not a federation node");
    }
    if (ctx.body().length() > MAX_BODY) {
      throw new ProblemException(400, "ledger.witness.malformed", "the request is too large");
    }
    answer(ctx, ledger.addKeyRotation(peer, KeyRotationRequest.parse(ctx.body())));
  }

  private static void answer(Context ctx, WitnessOutcome outcome) {
    switch (outcome) {
      case WitnessOutcome.Cosigned c ->
          ctx.contentType("text/plain; charset=utf-8").result(c.cosignature().line() + "\n");
      case WitnessOutcome.Conflict c ->
          ctx.status(409)
              .contentType(AddCheckpointRequest.SIZE_CONTENT_TYPE)
              .result(c.latestSize() + "\n");
      case WitnessOutcome.BadSignature b ->
          throw new ProblemException(
              403, "witness.bad-signature", "the checkpoint's signature does not verify");
      case WitnessOutcome.BadRequest b ->
          throw new ProblemException(400, "witness.bad-request", b.reason());
      case WitnessOutcome.Fork f ->
          throw new ProblemException(422, "witness.fork", f.evidence().describe());
    }
  }

  /** {@code GET /ledger/checkpoints}: every checkpoint note with its cosignatures. */
  public void checkpoints(Context ctx) {
    List<Object> notes = new ArrayList<>();
    for (SignedCheckpoint cp : ledger.checkpoints()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("size", cp.checkpoint().size());
      m.put("note", cp.encode());
      m.put("cosigners", cp.signatures().stream().map(NoteSignature::keyName).toList());
      notes.add(m);
    }
    json(ctx, Map.of("checkpoints", notes));
  }

  /**
   * {@code GET /ledger/consistency?from=N&to=M}: the RFC 9162 consistency proof, base64 hashes.
   * {@code from} defaults to 0, {@code to} to the current size.
   */
  public void consistency(Context ctx) {
    long size = ledger.size();
    long from = param(ctx, "from", 0, 0, size);
    long to = param(ctx, "to", size, from, size);
    ConsistencyProof p = ledger.consistency(from, to);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", p.size1());
    m.put("to", p.size2());
    m.put("hashes", p.hashes().stream().map(Hash::base64).toList());
    json(ctx, m);
  }

  /**
   * {@code GET /ledger/entries?start=&end=}: at most {@link #MAX_PAGE} entries, base64; {@code
   * start} defaults to 0, {@code end} to the current size (then cut to the page).
   */
  public void entries(Context ctx) {
    long size = ledger.size();
    long start = param(ctx, "start", 0, 0, size);
    long end = Math.min(param(ctx, "end", size, start, size), start + MAX_PAGE);
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", start);
    m.put("end", end);
    m.put("treeSize", size);
    m.put("entries", ledger.entries(start, end).stream().map(b64::encodeToString).toList());
    json(ctx, m);
  }

  /**
   * {@code GET /ledger/mine}: the calling patient's own events with a tlog-proof each. The record
   * comes from the patient credential's {@code record_ref}, never from a parameter.
   */
  public void mine(Context ctx) {
    String recordRef = callersRecord(ctx);
    List<Object> events = new ArrayList<>();
    for (LedgerPort.ProvenEvent e : ledger.eventsOf(recordRef)) {
      events.add(Map.of("index", e.index(), "proof", e.proof()));
    }
    json(ctx, Map.of("events", events));
  }

  /**
   * {@code GET /patient/access-history}: the events of {@link #mine}, each with its tlog-proof and
   * what the entry records: the event type, the actor (the hash of the credential id, and from
   * entry format version 2 the role, issuer, institution and country the credential disclosed),
   * purpose, classes and time. Entries written before version 2 show the hash alone.
   */
  public void accessHistory(Context ctx) {
    String recordRef = callersRecord(ctx);
    List<Object> events = new ArrayList<>();
    for (LedgerPort.ProvenEvent e : ledger.eventsOf(recordRef)) {
      LedgerEvent event = EntryCodec.decode(ledger.entries(e.index(), e.index() + 1).get(0));
      EventContext c = event.context();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", e.index());
      m.put("event", event.getClass().getSimpleName());
      m.put("at", c.time().toString());
      m.put("actor", c.actor().hash().hex());
      c.actorProfile()
          .ifPresent(
              p -> {
                m.put("role", p.role());
                m.put("issuer", p.issuer());
                m.put("institution", p.institution());
                m.put("country", p.country());
              });
      eventId(event).ifPresent(id -> m.put("session", id));
      m.put("purpose", c.purpose());
      m.put("classes", c.classes());
      m.put("proof", e.proof());
      events.add(m);
    }
    json(ctx, Map.of("events", events));
  }

  /** The break-glass session an event belongs to, so the patient can pair a start with its end. */
  private static java.util.Optional<String> eventId(LedgerEvent event) {
    return switch (event) {
      case LedgerEvent.BreakGlassStart s -> java.util.Optional.of(s.sessionId());
      case LedgerEvent.BreakGlassEnd e -> java.util.Optional.of(e.sessionId());
      case LedgerEvent.BreakGlassReview r -> java.util.Optional.of(r.sessionId());
      default -> java.util.Optional.empty();
    };
  }

  private static long param(Context ctx, String name, long absent, long min, long max) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return absent;
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ProblemException(400, "ledger.param-invalid", name + " is not a number");
    }
    if (n < min || n > max) {
      throw new ProblemException(
          400, "ledger.param-invalid", name + " must be between " + min + " and " + max);
    }
    return n;
  }

  private static void json(Context ctx, Map<String, Object> body) {
    ctx.contentType("application/json").result(JSONObjectUtils.toJSONString(body));
  }

  /** The record the calling patient's credential links to; never taken from a parameter. */
  private static String callersRecord(Context ctx) {
    Principal p = ctx.attribute(Guard.PRINCIPAL);
    return p.recordRef()
        .orElseThrow(
            () ->
                new ProblemException(
                    403, "patient.no-record", "the patient credential links no record"));
  }
}
