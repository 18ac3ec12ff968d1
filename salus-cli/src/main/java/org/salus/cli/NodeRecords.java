package org.salus.cli;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.salus.core.consent.ConsentChoices;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.ConsentNarrative;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.PolicyDecisionPoint;
import org.salus.core.trust.Role;
import org.salus.fhir.consent.ConsentFhirWriter;
import org.salus.fhir.consent.ConsentIssue;
import org.salus.fhir.consent.ConsentReadResult;
import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort;
import org.salus.store.consent.BreakGlassStore;
import org.salus.store.consent.BreakGlassStore.EndedBy;
import org.salus.store.node.NodeLedger;

/**
 * The node's records behind the HTTP routes (docs/consent.md, "Over HTTP"): a patient reads,
 * replaces and withdraws their consent; clinicians search through {@link ClinicianSearch}. The
 * patient is the one the credential names: claim {@code home_node} must be this node and claim
 * {@code record_ref} ({@code Patient/<id>}) is mapped to the person key as {@code salus consent}
 * does. Every change is a new version and applies to the next request.
 */
final class NodeRecords implements RecordsPort, AutoCloseable {

  static final String FHIR_JSON = "application/fhir+json";
  static final String JSON_TYPE = "application/json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String nodeId;
  private final NodeConsents consents;
  private final Clock clock;
  private final AccessLedger ledger;
  private final ClinicianSearch search;
  private final PatientSummary summary;
  private final WriteBack writeBack;
  private final BreakGlassSessions breakGlass;

  private NodeRecords(String nodeId, NodeConsents consents, AccessLedger ledger, Clock clock) {
    this.nodeId = nodeId;
    this.consents = consents;
    this.ledger = ledger;
    this.clock = clock;
    this.breakGlass =
        new BreakGlassSessions(
            BreakGlassStore.open(
                consents.node().store().database(), consents.node().keys().dataKey()));
    this.search = new ClinicianSearch(consents, ledger, clock, breakGlass);
    this.summary = new PatientSummary(search, ledger);
    this.writeBack = new WriteBack(consents, ledger, clock, nodeId);
    try {
      recoverBreakGlass();
    } catch (RuntimeException e) {
      breakGlass.close();
      throw e;
    }
  }

  /**
   * On start: the emergency accesses the store holds open are resumed until their time limit, and
   * those whose limit passed while the node was down are ended at that limit, as the running node
   * would have ended them (ledger {@code BreakGlassEnd} by the node; stored as ended by {@code
   * restart-recovery}).
   */
  private void recoverBreakGlass() {
    for (BreakGlassSessions.Open o : breakGlass.recover(clock.instant())) {
      endAtLimit(o, EndedBy.RESTART_RECOVERY);
    }
  }

  /** The ledger first: a crash between the two repeats an end rather than loses it. */
  private void endAtLimit(BreakGlassSessions.Open o, EndedBy how) {
    ledger.breakGlassExpired(nodeId, o.personKey(), o.access());
    breakGlass.ended(o, o.access().window().end().orElseThrow(), how);
  }

  /**
   * Opens the node directory's store, consents and ledger; the caller closes it after the server.
   */
  static NodeRecords open(java.nio.file.Path dir, String nodeId, Clock clock) {
    NodeConsents consents = NodeConsents.open(dir);
    AccessLedger ledger = null;
    try {
      ledger = AccessLedger.open(consents.node());
      return new NodeRecords(nodeId, consents, ledger, clock);
    } catch (RuntimeException e) {
      if (ledger != null) {
        ledger.close();
      }
      consents.close();
      throw e;
    }
  }

  /**
   * Records over consents already opened, appending access events to {@code ledger}, which the
   * caller owns (the running node's one ledger). Closing these records closes {@code consents}.
   */
  static NodeRecords open(NodeConsents consents, String nodeId, Clock clock, NodeLedger ledger) {
    AccessLedger access = AccessLedger.sharing(ledger, consents.node());
    try {
      return new NodeRecords(nodeId, consents, access, clock);
    } catch (RuntimeException e) {
      access.close();
      throw e;
    }
  }

  @Override
  public synchronized Reply currentConsent(Principal patient) {
    expireBreakGlass();
    return withPatient(
        patient,
        (ref, key) -> {
          ConsentHistory history = consents.consents().history(key);
          Optional<ConsentVersion> current = history.current();
          ObjectNode body = JSON.createObjectNode();
          body.put("patient", ref);
          body.put("version", current.map(ConsentVersion::version).orElse(0));
          body.put(
              "snapshot",
              current
                  .map(v -> v.hash().toString())
                  .orElse(PolicyDecisionPoint.noConsent(key).toString()));
          current.ifPresent(v -> body.put("recordedAt", v.recordedAt().toString()));
          List<String> lines = ConsentNarrative.render(current, consents.consents().defaults());
          lines.forEach(body.putArray("statements")::add);
          return new Reply(200, JSON_TYPE, body.toString());
        });
  }

  @Override
  public synchronized Reply recordConsent(Principal patient, String consentJson) {
    expireBreakGlass();
    return withPatient(
        patient,
        (ref, key) ->
            switch (consents.reader().parse(consentJson)) {
              case ConsentReadResult.Invalid invalid -> outcome(400, invalid);
              case ConsentReadResult.Valid valid when !valid.patientReference().equals(ref) ->
                  outcome(
                      403,
                      issue(
                          OperationOutcome.IssueType.FORBIDDEN,
                          "Consent.patient",
                          "a patient records consent for their own record only"));
              case ConsentReadResult.Valid valid -> recorded(patient, ref, key, consentJson);
            });
  }

  @Override
  public synchronized Reply revokeAll(Principal patient) {
    expireBreakGlass();
    return withPatient(
        patient,
        (ref, key) -> {
          Instant now = clock.instant();
          ConsentHistory next =
              ConsentChoices.of(consents.consents().history(key)).revokeAll().commit(now);
          String document =
              FhirContext.forR4Cached()
                  .newJsonParser()
                  .encodeResourceToString(
                      ConsentFhirWriter.toFhir(next.current().orElseThrow(), ref));
          return recorded(patient, ref, key, document);
        });
  }

  @Override
  public synchronized Reply search(
      Principal clinician,
      String resourceType,
      Map<String, String> query,
      Optional<String> emergencyReason) {
    expireBreakGlass();
    return search.search(clinician, resourceType, query, emergencyReason);
  }

  /**
   * Ends every emergency access whose time limit has passed, recording each end in the ledger (the
   * node is the actor, the window's end the time). Every request runs it first, and {@code salus
   * node start} runs it every minute, so an end is recorded even when nobody asks.
   */
  synchronized void expireBreakGlass() {
    for (BreakGlassSessions.Open o : breakGlass.expire(clock.instant())) {
      endAtLimit(o, EndedBy.TIME_LIMIT);
    }
  }

  @Override
  public synchronized Reply endBreakGlass(Principal clinician, String patient) {
    expireBreakGlass();
    if (patient == null || patient.isBlank()) {
      return ClinicianSearch.invalid("patient", "name the patient: ?patient=Patient/<id>");
    }
    String ref = patient.startsWith("Patient/") ? patient : "Patient/" + patient;
    Optional<BreakGlassSessions.Open> open;
    try {
      open = breakGlass.end(clinician, consents.personKey(ref));
    } catch (ConsentException e) {
      open = Optional.empty();
    }
    if (open.isEmpty()) {
      return problem(
          404, "records.break-glass.none", "the caller has no open emergency access to " + ref);
    }
    Instant now = clock.instant();
    long index =
        ledger.breakGlassEnded(clinician, open.get().personKey(), open.get().access(), now);
    breakGlass.ended(open.get(), now, EndedBy.CLINICIAN);
    ObjectNode body = JSON.createObjectNode();
    body.put("session", open.get().access().id());
    body.put("ended", now.toString());
    body.put("index", index);
    return new Reply(200, JSON_TYPE, body.toString());
  }

  @Override
  public synchronized Reply breakGlassReview(Principal steward) {
    Optional<Reply> refused = notThisNodesSteward(steward);
    if (refused.isPresent()) {
      return refused.get();
    }
    expireBreakGlass();
    return new Reply(
        200,
        JSON_TYPE,
        BreakGlassQueue.of(ledger.breakGlassEvents(), breakGlass.store()::find).toString());
  }

  /**
   * Only a steward of this node reviews its emergency accesses: the role, and the credential's
   * {@code node} claim naming this node (a steward of another node whose issuer this node accepts
   * is refused, as on the study routes).
   */
  private Optional<Reply> notThisNodesSteward(Principal steward) {
    if (steward.role() != Role.STEWARD) {
      return Optional.of(problem(403, "records.role", "only a steward reviews emergency accesses"));
    }
    if (steward.claim("node").filter(nodeId::equals).isEmpty()) {
      return Optional.of(
          problem(
              403,
              "steward.other-node",
              "this node is "
                  + nodeId
                  + "; log in with the steward credential of this node and disclose its node"
                  + " claim"));
    }
    return Optional.empty();
  }

  /** Every break-glass start, end and review in the ledger, oldest first. */
  synchronized List<AccessLedger.Indexed> breakGlassEvents() {
    return ledger.breakGlassEvents();
  }

  @Override
  public synchronized Reply reviewBreakGlass(Principal steward, String session, String body) {
    Optional<Reply> refused = notThisNodesSteward(steward);
    if (refused.isPresent()) {
      return refused.get();
    }
    expireBreakGlass();
    return switch (BreakGlassReviewRequest.parse(body)) {
      case BreakGlassReviewRequest.Parsed.Invalid i ->
          problem(400, "records.break-glass.review-invalid", i.message());
      case BreakGlassReviewRequest.Parsed.Ok ok -> review(steward, session, ok.request());
    };
  }

  private Reply review(Principal steward, String sessionId, BreakGlassReviewRequest request) {
    Optional<BreakGlassStore.Session> session = breakGlass.store().find(sessionId);
    if (session.isEmpty()) {
      return problem(
          404,
          "records.break-glass.unknown",
          "no emergency access " + sessionId + " is recorded at this node");
    }
    BreakGlassStore.Session s = session.get();
    if (s.review().isPresent()) {
      return problem(
          409,
          "records.break-glass.reviewed",
          "emergency access " + sessionId + " was already reviewed at " + s.review().get().at());
    }
    if (s.ended().isEmpty()) {
      return problem(
          409,
          "records.break-glass.open",
          "emergency access " + sessionId + " is still open; review it once it has ended");
    }
    Instant now = clock.instant();
    boolean justified = request.outcome() == BreakGlassStore.Outcome.JUSTIFIED;
    // The ledger first: the review is evidence before it is state.
    long index =
        ledger.breakGlassReviewed(steward, s.personKey(), s.classes(), sessionId, justified, now);
    BreakGlassStore.Review review =
        new BreakGlassStore.Review(
            steward.issuer() + "/" + steward.subject(), now, request.outcome(), request.note());
    breakGlass.store().reviewed(sessionId, review);
    ObjectNode reply = JSON.createObjectNode();
    reply.put("session", sessionId);
    reply.put("outcome", request.outcome().wireName());
    reply.put("reviewedAt", review.at().toString());
    reply.put("index", index);
    return new Reply(200, JSON_TYPE, reply.toString());
  }

  @Override
  public synchronized Reply summary(Principal clinician, String patientId) {
    expireBreakGlass();
    return summary.summary(clinician, patientId);
  }

  @Override
  public synchronized Reply writeObservation(Principal caller, String observationJson) {
    expireBreakGlass();
    return writeBack.write(caller, observationJson);
  }

  @Override
  public synchronized Reply ownObservations(Principal patient) {
    expireBreakGlass();
    return withPatient(
        patient,
        (ref, key) -> {
          ObjectNode b = JSON.createObjectNode();
          b.put("resourceType", "Bundle");
          b.put("type", "searchset");
          ArrayNode entries = b.putArray("entry");
          for (String type : List.of("Observation", "Provenance")) {
            for (byte[] doc : consents.node().store().readSources(key, type)) {
              JsonNode r = ClinicianSearch.parse(doc);
              ObjectNode e = entries.addObject();
              e.put("fullUrl", type + "/" + r.path("id").asText());
              e.set("resource", r);
              e.putObject("search").put("mode", type.equals("Observation") ? "match" : "include");
            }
          }
          return new Reply(200, FHIR_JSON, b.toString());
        });
  }

  private Reply recorded(Principal patient, String ref, String key, String document) {
    ConsentVersion v = consents.consents().append(key, document, clock.instant());
    ledger.consentChange(patient, key, v);
    ObjectNode body = JSON.createObjectNode();
    body.put("patient", ref);
    body.put("version", v.version());
    body.put("snapshot", v.hash().toString());
    body.put("recordedAt", v.recordedAt().toString());
    return new Reply(201, JSON_TYPE, body.toString());
  }

  /** What a patient route does once the caller's record is known. */
  private interface PatientAction {
    Reply apply(String patientReference, String personKey);
  }

  private Reply withPatient(Principal p, PatientAction action) {
    if (p.role() != Role.PATIENT) {
      return problem(403, "records.role", "only a patient manages their consent");
    }
    if (!p.claim("home_node").map(nodeId::equals).orElse(false)) {
      return problem(403, "records.home-node", "the credential's home_node is not this node");
    }
    Optional<String> ref = p.claim("record_ref");
    if (ref.isEmpty()) {
      return problem(403, "records.record-ref", "the credential discloses no record_ref");
    }
    String key;
    try {
      key = consents.personKey(ref.get());
    } catch (ConsentException e) {
      return problem(404, e.code(), "this node holds no record for the credential's record_ref");
    }
    return action.apply(ref.get(), key);
  }

  static ConsentReadResult.Invalid issue(
      OperationOutcome.IssueType type, String element, String message) {
    return new ConsentReadResult.Invalid(List.of(new ConsentIssue(type, element, message)));
  }

  static Reply outcome(int status, ConsentReadResult.Invalid invalid) {
    return new Reply(
        status,
        FHIR_JSON,
        FhirContext.forR4Cached()
            .newJsonParser()
            .encodeResourceToString(invalid.operationOutcome()));
  }

  static Reply problem(int status, String code, String detail) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "urn:salus:problem:" + code);
    body.put(
        "title",
        switch (status) {
          case 400 -> "Bad request";
          case 404 -> "Not found";
          case 409 -> "Conflict";
          default -> "Forbidden";
        });
    body.put("status", status);
    body.put("detail", detail);
    body.put("code", code);
    return new Reply(status, "application/problem+json", body.toString());
  }

  @Override
  public void close() {
    try {
      breakGlass.close();
    } finally {
      try {
        ledger.close();
      } finally {
        consents.close();
      }
    }
  }
}
