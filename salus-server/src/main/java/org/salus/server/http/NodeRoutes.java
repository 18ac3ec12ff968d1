package org.salus.server.http;

import static org.salus.core.trust.RouteAccess.open;
import static org.salus.core.trust.RouteAccess.peerNode;
import static org.salus.core.trust.RouteAccess.restricted;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salus.core.trust.Role;
import org.salus.core.trust.RouteDeclaration;
import org.salus.core.trust.RouteTable;
import org.salus.core.trust.Scope;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.ledger.LedgerPort;
import org.salus.server.ledger.LedgerRoutes;
import org.salus.server.login.LoginOutcome;
import org.salus.server.login.LoginService;
import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort;
import org.salus.server.study.HubPort;
import org.salus.server.study.StudyPort;
import org.salus.server.trust.TrustListHolder;

/**
 * The node's route table and its handlers. The table is the one readable place that says who may
 * call what; the route-table test walks it.
 */
public final class NodeRoutes {

  private static final Set<Role> EVERYONE = EnumSet.allOf(Role.class);

  /** Every route a node serves. Add a row here, and its handler below, for a new route. */
  public static final RouteTable TABLE =
      RouteTable.of(
          List.of(
              new RouteDeclaration(
                  "POST",
                  "/login/nonce",
                  open("a holder needs a fresh nonce before it can present a credential"),
                  "a single-use nonce for a key-binding JWT"),
              new RouteDeclaration(
                  "POST",
                  "/login",
                  open("exchanges a credential presentation for an access token"),
                  "presentation in, access token out"),
              new RouteDeclaration(
                  "GET",
                  "/status",
                  open("health check for federation peers; reveals only the node's public facts"),
                  "health with the node's identity"),
              new RouteDeclaration(
                  "GET",
                  "/trust-list",
                  restricted(EVERYONE, Scope.NODE_READ),
                  "the signed trust list this node holds"),
              new RouteDeclaration(
                  "GET",
                  "/me",
                  restricted(EVERYONE, Scope.NODE_READ),
                  "the caller's role and scopes, as the token says"),
              new RouteDeclaration(
                  "GET",
                  "/admin/whoami",
                  restricted(Set.of(Role.STEWARD), Scope.NODE_ADMIN),
                  "which node this steward administers"),
              // consenthttp: patient consent and consent-filtered clinician reads (docs/consent.md)
              new RouteDeclaration(
                  "GET",
                  "/patient/consent",
                  restricted(Set.of(Role.PATIENT), Scope.NODE_READ),
                  "the patient's current consent in plain terms, version and snapshot hash"),
              new RouteDeclaration(
                  "POST",
                  "/patient/consent",
                  restricted(Set.of(Role.PATIENT), Scope.NODE_READ),
                  "a FHIR R4 Consent recorded as the patient's next version"),
              new RouteDeclaration(
                  "POST",
                  "/patient/consent/revoke-all",
                  restricted(Set.of(Role.PATIENT), Scope.NODE_READ),
                  "withdraws every permit and grant as a new version"),
              new RouteDeclaration(
                  "GET",
                  "/fhir/Observation",
                  restricted(Set.of(Role.CLINICIAN), Scope.NODE_READ),
                  "a patient's Observations the clinician may see under the consent"),
              new RouteDeclaration(
                  "GET",
                  "/fhir/Condition",
                  restricted(Set.of(Role.CLINICIAN), Scope.NODE_READ),
                  "a patient's Conditions the clinician may see under the consent"),
              // ips: patient summary, allergy and medication searches (docs/consent.md)
              new RouteDeclaration(
                  "GET",
                  "/fhir/AllergyIntolerance",
                  restricted(Set.of(Role.CLINICIAN), Scope.NODE_READ),
                  "a patient's AllergyIntolerances the clinician may see under the consent"),
              new RouteDeclaration(
                  "GET",
                  "/fhir/MedicationStatement",
                  restricted(Set.of(Role.CLINICIAN), Scope.NODE_READ),
                  "a patient's medications (as stored) the clinician may see under the consent"),
              new RouteDeclaration(
                  "GET",
                  "/fhir/Patient/{id}/$summary",
                  restricted(Set.of(Role.CLINICIAN), Scope.NODE_READ),
                  "a patient summary document of the sections the clinician may see"),
              new RouteDeclaration(
                  "POST",
                  "/fhir/Observation",
                  restricted(Set.of(Role.CLINICIAN, Role.PATIENT), Scope.NODE_READ),
                  "an Observation written back by a granted clinician or the patient, with"
                      + " provenance"),
              new RouteDeclaration(
                  "GET",
                  "/patient/observations",
                  restricted(Set.of(Role.PATIENT), Scope.NODE_READ),
                  "the patient's own Observations, written-back ones with their Provenance"),
              // ledgerhttp: witness, auditor and patient ledger routes (docs/ledger.md)
              new RouteDeclaration(
                  "POST",
                  "/witness/add-checkpoint",
                  peerNode("federation nodes witness each other's logs (c2sp.org/tlog-witness)"),
                  "cosigns a checkpoint of the calling node's own log, consistent or refused"),
              new RouteDeclaration(
                  "POST",
                  "/witness/key-rotation",
                  peerNode("witnesses follow a node's log key rotation (docs/ledger.md)"),
                  "accepts the calling node's new log key from its rotation proof"),
              new RouteDeclaration(
                  "GET",
                  "/ledger/checkpoints",
                  restricted(Set.of(Role.AUDITOR), Scope.AUDIT_READ),
                  "this node's signed checkpoints with their cosignatures"),
              new RouteDeclaration(
                  "GET",
                  "/ledger/consistency",
                  restricted(Set.of(Role.AUDITOR), Scope.AUDIT_READ),
                  "a consistency proof between two sizes of this node's log"),
              new RouteDeclaration(
                  "GET",
                  "/ledger/entries",
                  restricted(Set.of(Role.AUDITOR), Scope.AUDIT_READ),
                  "a bounded page of this node's log entries"),
              new RouteDeclaration(
                  "GET",
                  "/ledger/mine",
                  restricted(Set.of(Role.PATIENT), Scope.NODE_READ),
                  "the calling patient's own events, each with a tlog-proof"),
              // ips: the patient's access history, decoded, with proofs (docs/consent.md)
              new RouteDeclaration(
                  "GET",
                  "/patient/access-history",
                  restricted(Set.of(Role.PATIENT), Scope.NODE_READ),
                  "every access to the patient's data: event, actor (role, issuer, institution,"
                      + " country), purpose, classes, time, proof"),
              // consentgaps: break-glass end and the steward's review queue (docs/consent.md)
              new RouteDeclaration(
                  "POST",
                  "/clinician/break-glass/end",
                  restricted(Set.of(Role.CLINICIAN), Scope.NODE_READ),
                  "ends the caller's open emergency access to a patient before its time limit"),
              new RouteDeclaration(
                  "GET",
                  "/steward/break-glass",
                  restricted(Set.of(Role.STEWARD), Scope.NODE_ADMIN),
                  "the review queue of emergency accesses: who, classes, start, end, review"),
              new RouteDeclaration(
                  "POST",
                  "/steward/break-glass/{session}/review",
                  restricted(Set.of(Role.STEWARD), Scope.NODE_ADMIN),
                  "the steward's finding on one emergency access, once; recorded in the ledger"),
              // hub: federated studies, node side and hub side (docs/studies.md)
              new RouteDeclaration(
                  "POST",
                  "/studies/proposals",
                  peerNode("a hub proposes a study to the nodes it names, by signed message"),
                  "records a hub's signed study proposal; answers the node's decision"),
              new RouteDeclaration(
                  "GET",
                  "/studies/{id}/decision",
                  peerNode("the proposing hub polls for the steward's decision"),
                  "the node's decision on a study the calling hub proposed"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/join",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "selects the consented population of an approved study"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/step",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "one analysis step as aggregates, after the node's disclosure control"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/secagg/open",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "secure aggregation, phase 0: computes the step, advertises round keys"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/secagg/share-keys",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "secure aggregation, phase 1: the round's secrets, shared encrypted"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/secagg/masked-input",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "secure aggregation, phase 2: the step's vector, masked"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/secagg/unmask",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "secure aggregation, phase 3: the shares that remove the masks of the sum"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/secagg/prepare",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "one-trip rounds: fresh keys for a batch of rounds, before their steps"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/secagg/prepare-shares",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "one-trip rounds: the batch's secrets, shared encrypted"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/secagg/one-trip",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "one-trip round: computes the step; its masked vector and self-mask shares"),
              new RouteDeclaration(
                  "POST",
                  "/studies/{id}/leave",
                  peerNode("only the hub that proposed an approved study runs it"),
                  "ends the study's session at the node; the node's receipt part"),
              new RouteDeclaration(
                  "GET",
                  "/steward/studies",
                  restricted(Set.of(Role.STEWARD), Scope.NODE_ADMIN),
                  "every study proposed to this node, with its decision"),
              new RouteDeclaration(
                  "POST",
                  "/steward/studies/{id}/approve",
                  restricted(Set.of(Role.STEWARD), Scope.NODE_ADMIN),
                  "the steward approves a pending study; recorded in the ledger"),
              new RouteDeclaration(
                  "POST",
                  "/steward/studies/{id}/reject",
                  restricted(Set.of(Role.STEWARD), Scope.NODE_ADMIN),
                  "the steward rejects a pending study with a reason; recorded in the ledger"),
              new RouteDeclaration(
                  "POST",
                  "/hub/studies",
                  restricted(Set.of(Role.RESEARCHER), Scope.STUDY_RUN),
                  "submits a study document to the hub; answers its id"),
              new RouteDeclaration(
                  "GET",
                  "/hub/studies",
                  restricted(Set.of(Role.RESEARCHER), Scope.STUDY_RUN),
                  "the calling researcher's studies with their states"),
              new RouteDeclaration(
                  "GET",
                  "/hub/studies/{id}",
                  restricted(Set.of(Role.RESEARCHER), Scope.STUDY_RUN),
                  "one of the caller's studies, node by node"),
              new RouteDeclaration(
                  "GET",
                  "/hub/studies/{id}/results",
                  restricted(Set.of(Role.RESEARCHER), Scope.STUDY_RUN),
                  "the results of one of the caller's finished studies")));

  private NodeRoutes() {}

  /** The handlers of {@link #TABLE}, by route key, for a node without records or ledger. */
  public static Map<String, Handler> handlers(
      String nodeId, TrustListHolder trustList, LoginService login) {
    return handlers(nodeId, trustList, login, RecordsPort.unavailable(), LedgerPort.none());
  }

  /** The handlers of {@link #TABLE}, by route key, for a node without studies or hub. */
  public static Map<String, Handler> handlers(
      String nodeId,
      TrustListHolder trustList,
      LoginService login,
      RecordsPort records,
      LedgerPort ledger) {
    return handlers(
        nodeId, trustList, login, records, ledger, StudyPort.unavailable(), HubPort.unavailable());
  }

  /** The handlers of {@link #TABLE}, by route key. */
  public static Map<String, Handler> handlers(
      String nodeId,
      TrustListHolder trustList,
      LoginService login,
      RecordsPort records,
      LedgerPort ledger,
      StudyPort studies,
      HubPort hub) {
    Map<String, Handler> h = new LinkedHashMap<>();
    recordHandlers(h, records);
    studyHandlers(h, studies, hub);
    LedgerRoutes ledgerRoutes = new LedgerRoutes(ledger);
    h.put("POST /login/nonce", ctx -> json(ctx, Map.of("nonce", login.nonce())));
    h.put("POST /login", ctx -> login(ctx, login));
    h.put("GET /status", ctx -> json(ctx, status(nodeId, trustList.current())));
    h.put(
        "GET /trust-list",
        ctx -> ctx.contentType("application/jose").result(trustList.currentJws()));
    h.put("GET /me", ctx -> json(ctx, principal(ctx.attribute(Guard.PRINCIPAL))));
    h.put(
        "GET /admin/whoami",
        ctx -> {
          Map<String, Object> body = principal(ctx.attribute(Guard.PRINCIPAL));
          body.put("node", nodeId);
          json(ctx, body);
        });
    h.put("POST /witness/add-checkpoint", ledgerRoutes::addCheckpoint);
    h.put("POST /witness/key-rotation", ledgerRoutes::addKeyRotation);
    h.put("GET /ledger/checkpoints", ledgerRoutes::checkpoints);
    h.put("GET /ledger/consistency", ledgerRoutes::consistency);
    h.put("GET /ledger/entries", ledgerRoutes::entries);
    h.put("GET /ledger/mine", ledgerRoutes::mine);
    h.put("GET /patient/access-history", ledgerRoutes::accessHistory);
    return h;
  }

  // consenthttp: the record routes forward to the port, which decides every access.
  private static void recordHandlers(Map<String, Handler> h, RecordsPort records) {
    h.put("GET /patient/consent", ctx -> reply(ctx, records.currentConsent(caller(ctx))));
    h.put(
        "POST /patient/consent", ctx -> reply(ctx, records.recordConsent(caller(ctx), ctx.body())));
    h.put("POST /patient/consent/revoke-all", ctx -> reply(ctx, records.revokeAll(caller(ctx))));
    h.put(
        "POST /fhir/Observation",
        ctx -> reply(ctx, records.writeObservation(caller(ctx), ctx.body())));
    h.put("GET /patient/observations", ctx -> reply(ctx, records.ownObservations(caller(ctx))));
    h.put(
        "POST /clinician/break-glass/end",
        ctx ->
            reply(
                ctx,
                records.endBreakGlass(
                    caller(ctx), Optional.ofNullable(ctx.queryParam("patient")).orElse(""))));
    h.put("GET /steward/break-glass", ctx -> reply(ctx, records.breakGlassReview(caller(ctx))));
    h.put(
        "POST /steward/break-glass/{session}/review",
        ctx ->
            reply(
                ctx, records.reviewBreakGlass(caller(ctx), ctx.pathParam("session"), ctx.body())));
    h.put(
        "GET /fhir/Patient/{id}/$summary",
        ctx -> reply(ctx, records.summary(caller(ctx), ctx.pathParam("id"))));
    for (String type :
        List.of("Observation", "Condition", "AllergyIntolerance", "MedicationStatement")) {
      h.put(
          "GET /fhir/" + type,
          ctx -> {
            Map<String, String> query = new LinkedHashMap<>();
            ctx.queryParamMap()
                .forEach((k, v) -> v.stream().findFirst().ifPresent(x -> query.put(k, x)));
            reply(
                ctx,
                records.search(
                    caller(ctx), type, query, Optional.ofNullable(ctx.header(EMERGENCY_REASON))));
          });
    }
  }

  // hub: study routes forward to the ports; the peer node is the caller's trust-list entry.
  private static void studyHandlers(Map<String, Handler> h, StudyPort studies, HubPort hub) {
    h.put("POST /studies/proposals", ctx -> reply(ctx, studies.propose(peer(ctx), ctx.body())));
    h.put(
        "GET /studies/{id}/decision",
        ctx -> reply(ctx, studies.decision(peer(ctx), ctx.pathParam("id"))));
    h.put(
        "POST /studies/{id}/join",
        ctx -> reply(ctx, studies.join(peer(ctx), ctx.pathParam("id"), ctx.body())));
    h.put(
        "POST /studies/{id}/step",
        ctx -> reply(ctx, studies.step(peer(ctx), ctx.pathParam("id"), ctx.body())));
    for (String phase : StudyPort.SECURE_PHASES) {
      h.put(
          "POST /studies/{id}/secagg/" + phase,
          ctx -> reply(ctx, studies.secure(peer(ctx), ctx.pathParam("id"), phase, ctx.body())));
    }
    h.put(
        "POST /studies/{id}/leave",
        ctx -> reply(ctx, studies.leave(peer(ctx), ctx.pathParam("id"))));
    h.put("GET /steward/studies", ctx -> reply(ctx, studies.proposals(caller(ctx))));
    h.put(
        "POST /steward/studies/{id}/approve",
        ctx -> reply(ctx, studies.decide(caller(ctx), ctx.pathParam("id"), true, ctx.body())));
    h.put(
        "POST /steward/studies/{id}/reject",
        ctx -> reply(ctx, studies.decide(caller(ctx), ctx.pathParam("id"), false, ctx.body())));
    h.put("POST /hub/studies", ctx -> reply(ctx, hub.submit(caller(ctx), ctx.body())));
    h.put("GET /hub/studies", ctx -> reply(ctx, hub.list(caller(ctx))));
    h.put("GET /hub/studies/{id}", ctx -> reply(ctx, hub.status(caller(ctx), ctx.pathParam("id"))));
    h.put(
        "GET /hub/studies/{id}/results",
        ctx -> reply(ctx, hub.results(caller(ctx), ctx.pathParam("id"))));
  }

  private static TrustedNodeEntry peer(Context ctx) {
    TrustedNodeEntry peer = ctx.attribute(Guard.PEER_NODE);
    if (peer == null) {
      throw new ProblemException(403, "study.no-peer", "the caller is not a federation node");
    }
    return peer;
  }

  /** The header a clinician states a break-glass reason in. */
  public static final String EMERGENCY_REASON = "X-Salus-Emergency-Reason";

  private static Principal caller(Context ctx) {
    return ctx.attribute(Guard.PRINCIPAL);
  }

  private static void reply(Context ctx, RecordsPort.Reply r) {
    ctx.status(r.status()).contentType(r.contentType()).result(r.body());
  }

  private static void login(Context ctx, LoginService login) {
    switch (login.login(ctx.body())) {
      case LoginOutcome.LoggedIn in -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", in.token().jwt());
        body.put("token_type", "Bearer");
        body.put("expires_in", Duration.between(Instant.now(), in.token().expires()).toSeconds());
        body.put("role", in.token().role().wireName());
        body.put(
            "scope",
            String.join(" ", in.token().scopes().stream().map(Scope::name).sorted().toList()));
        ctx.header("Cache-Control", "no-store");
        json(ctx, body);
      }
      case LoginOutcome.Refused r ->
          throw new ProblemException(401, r.reason().code(), r.reason().message());
    }
  }

  private static Map<String, Object> status(String nodeId, TrustList list) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "ok");
    m.put("node", nodeId);
    list.node(nodeId)
        .ifPresent(
            n -> {
              m.put("name", n.name());
              m.put("country", n.country());
            });
    m.put("federation", list.federationId());
    m.put("trustListVersion", list.version());
    return m;
  }

  private static Map<String, Object> principal(Principal p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", p.subject());
    m.put("issuer", p.issuer());
    m.put("role", p.role().wireName());
    m.put("scopes", p.scopes().stream().map(Scope::name).sorted().toList());
    return m;
  }

  private static void json(Context ctx, Map<String, Object> body) {
    ctx.contentType("application/json").result(JSONObjectUtils.toJSONString(body));
  }
}
