package org.salus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.study.Study;
import org.salus.core.study.governance.StudyPolicy;
import org.salus.core.study.run.Joining;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort.Reply;
import org.salus.server.study.StudyPort;
import org.salus.server.trust.SignedMessage;
import org.salus.store.node.NodeLedger;
import org.salus.store.study.LocalStudyNode;
import org.salus.store.study.NodeBudgets;
import org.salus.store.study.NodeDp;
import org.salus.store.study.SecureWire;
import org.salus.store.study.StudyJson;
import org.salus.store.study.StudyPolicyJson;
import org.salus.store.study.StudyProposals;
import org.salus.store.study.StudyProposals.Proposal;
import org.salus.store.study.StudyProposals.State;
import org.salus.store.study.StudyWire;

/**
 * A running node's side of federated studies (docs/studies.md, "Hub and nodes").
 *
 * <p>A hub proposes a study by a message it signs ({@link SignedMessage}, kind {@value #PROPOSE});
 * the node checks the signature against the trust list and that the signer is the TLS peer, reads
 * the study document itself, and decides by its policy file ({@code study-policy.json}, read on
 * every proposal so a steward's edit applies at once): rejected, approved by a rule, or left to the
 * steward. Every decision is appended to the node's ledger ({@code StudyApproval} or {@code
 * StudyRejection}, with the hash of the signed proposal) before it is stored. Only the proposing
 * hub learns the decision and only it may run an approved study: join (consented population), steps
 * (through the node's disclosure control, with the node's DP where the study asks for ρ) and leave.
 * A node that contributes appends {@code StudyContribution} with its consent snapshot.
 */
final class NodeStudies implements StudyPort, AutoCloseable {

  /** The signed message kind of a proposal. */
  static final String PROPOSE = "study.propose";

  /** The steward's policy file in the node directory. */
  static final String POLICY_FILE = "study-policy.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROBLEM = "application/problem+json";

  private final String nodeId;
  private final Path dir;
  private final NodeConsents node;
  private final NodeLedger ledger;
  private final StudyProposals proposals;
  private final Clock clock;
  private volatile Supplier<TrustList> trustList =
      () -> {
        throw new SalusException("studies.not-started", "the node is still starting");
      };
  private final Map<String, Session> sessions = new HashMap<>();

  NodeStudies(String nodeId, Path dir, NodeConsents node, NodeLedger ledger, Clock clock) {
    this.nodeId = nodeId;
    this.dir = dir;
    this.node = node;
    this.ledger = ledger;
    this.clock = clock;
    this.proposals = StudyProposals.open(node.node().store().database());
  }

  /** The trust list proposals are verified against, once the server runs. */
  void trustList(Supplier<TrustList> current) {
    this.trustList = current;
  }

  /** The node's policy: its file, or the defaults where there is none. */
  static StudyPolicy policy(Path dir) {
    Path file = dir.resolve(POLICY_FILE);
    if (!Files.exists(file)) {
      return StudyPolicy.defaults();
    }
    try {
      return StudyPolicyJson.read(Files.readString(file));
    } catch (IOException e) {
      throw new SalusException("policy.read.failed", "cannot read " + POLICY_FILE);
    } catch (SalusException e) {
      throw new SalusException(e.code(), POLICY_FILE + ": " + e.getMessage());
    }
  }

  // --- hub side of the node

  @Override
  public Reply propose(TrustedNodeEntry hub, String signedProposal) {
    SignedMessage message;
    try {
      message = SignedMessage.verify(signedProposal.strip(), trustList.get());
    } catch (SalusException e) {
      return problem(400, e.code(), e.getMessage());
    }
    if (!message.sender().equals(hub.id()) || !PROPOSE.equals(message.kind())) {
      return problem(
          403, "study.proposal.sender", "a proposal must be signed by the hub that sends it");
    }
    Map<String, Object> body = message.body();
    if (!(body.get("document") instanceof String document)
        || !(body.get("researcher") instanceof Map<?, ?> researcher)
        || !(researcher.get("issuer") instanceof String issuer)
        || !(researcher.get("subject") instanceof String subject)) {
      return problem(
          400,
          "study.proposal.malformed",
          "a proposal carries document and researcher {issuer, subject}");
    }
    Optional<String> institution =
        researcher.get("institution") instanceof String s ? Optional.of(s) : Optional.empty();
    Study study;
    try {
      study = StudyJson.read(document);
    } catch (SalusException e) {
      return problem(400, e.code(), e.getMessage());
    }
    if (!study.nodes().contains(nodeId)) {
      return problem(
          400,
          "study.not-for-this-node",
          "the study names nodes " + study.nodes() + ", not this node (" + nodeId + ")");
    }
    synchronized (this) {
      String who = issuer + "/" + subject;
      Optional<Proposal> known = proposals.find(study.id());
      if (known.isPresent()) {
        Proposal k = known.get();
        if (!k.hub().equals(hub.id()) || !k.document().equals(document)) {
          return problem(
              409,
              StudyProposals.DUPLICATE,
              "study " + study.id() + " was already proposed to this node with another document");
        }
        return ok(view(k).toString());
      }
      StudyPolicy policy;
      try {
        policy = policy(dir);
      } catch (SalusException e) {
        return problem(500, e.code(), e.getMessage());
      }
      Instant now = clock.instant();
      Proposal pending =
          new Proposal(
              study.id(),
              hub.id(),
              who,
              institution,
              study.title(),
              study.purpose().code(),
              document,
              message.compact(),
              now,
              State.PENDING,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
      Hash evidence = sha256(message.compact());
      return switch (policy.evaluate(study, institution, proposals.open(who))) {
        case StudyPolicy.Verdict.Pending p -> ok(view(proposals.record(pending)).toString());
        case StudyPolicy.Verdict.Approved a -> {
          ledger.append(
              new LedgerEvent.StudyApproval(context(study, "policy", evidence), study.id()));
          yield ok(
              view(proposals.record(
                      pending.decided(
                          State.APPROVED, "policy", now, Optional.of(a.rule()), Optional.empty())))
                  .toString());
        }
        case StudyPolicy.Verdict.Rejected r -> {
          ledger.append(
              new LedgerEvent.StudyRejection(context(study, "policy", evidence), study.id()));
          yield ok(
              view(proposals.record(
                      pending.decided(
                          State.REJECTED,
                          "policy",
                          now,
                          Optional.of(r.code()),
                          Optional.of(r.reason()))))
                  .toString());
        }
      };
    }
  }

  @Override
  public Reply decision(TrustedNodeEntry hub, String studyId) {
    return ownProposal(hub, studyId)
        .map(p -> ok(view(p).toString()))
        .orElseGet(() -> unknown(studyId));
  }

  @Override
  public Reply join(TrustedNodeEntry hub, String studyId, String body) {
    Optional<Proposal> p = ownProposal(hub, studyId);
    if (p.isEmpty()) {
      return unknown(studyId);
    }
    if (p.get().state() != State.APPROVED) {
      return problem(
          409,
          "study.not-approved",
          "study " + studyId + " is " + p.get().state().wireName() + " at this node");
    }
    int participants;
    try {
      JsonNode b = JSON.readTree(body.isBlank() ? "{}" : body);
      participants = b.path("participants").asInt(1);
    } catch (IOException e) {
      return problem(400, "study.wire.malformed", "join body is not JSON");
    }
    Study named = StudyJson.read(p.get().document());
    if (participants < 1 || participants > named.nodes().size()) {
      // The node splits its noise share by this count; more participants than the study names
      // would let a hub shrink every node's share below the calibrated total.
      return problem(
          400,
          "study.wire.malformed",
          "participants must be between 1 and the "
              + named.nodes().size()
              + " nodes the study names");
    }
    synchronized (this) {
      if (sessions.containsKey(studyId)) {
        return problem(409, "study.session.open", "study " + studyId + " is already running here");
      }
      Study study = StudyJson.read(p.get().document());
      Session s = Session.open(this, hub.id(), study, p.get().researcher(), participants);
      Joining joining;
      try {
        joining = s.study().join(study);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      if (joining instanceof Joining.Joined j && s.dp().isEmpty()) {
        ledger.append(
            new LedgerEvent.StudyContribution(
                context(study, p.get().researcher(), Hash.fromHex(j.consentSnapshot())),
                study.id(),
                Hash.fromHex(j.consentSnapshot())));
      }
      if (joining instanceof Joining.Joined) {
        sessions.put(studyId, s);
      } else {
        s.close();
      }
      return ok(StudyWire.encode(joining));
    }
  }

  @Override
  public Reply step(TrustedNodeEntry hub, String studyId, String body) {
    Session s;
    synchronized (this) {
      s = sessions.get(studyId);
    }
    if (s == null || !s.hub().equals(hub.id())) {
      return problem(409, "study.session.none", "study " + studyId + " is not running here");
    }
    try {
      synchronized (s) {
        return ok(StudyWire.encode(s.study().step(StudyWire.decodeStep(body))));
      }
    } catch (SalusException e) {
      return problem(400, e.code(), e.getMessage());
    }
  }

  @Override
  public Reply secure(TrustedNodeEntry hub, String studyId, String phase, String body) {
    Session s;
    synchronized (this) {
      s = sessions.get(studyId);
    }
    if (s == null || !s.hub().equals(hub.id())) {
      return problem(409, "study.session.none", "study " + studyId + " is not running here");
    }
    try {
      synchronized (s) {
        LocalStudyNode n = s.study();
        return ok(
            switch (phase) {
              case "open" -> SecureWire.encode(n.secureOpen(SecureWire.decodeRound(body)));
              case "share-keys" -> {
                var r = SecureWire.decodeDirectory(body);
                yield SecureWire.encode(n.secureShareKeys(r.roundId(), r.body()));
              }
              case "masked-input" -> {
                var r = SecureWire.decodeDelivery(body);
                yield SecureWire.encode(n.secureMaskedInput(r.roundId(), r.body()));
              }
              case "unmask" -> {
                var r = SecureWire.decodeUnmaskRequest(body);
                yield SecureWire.encode(n.secureUnmask(r.roundId(), r.body()));
              }
              case "prepare" ->
                  SecureWire.encodeKeys(n.securePrepare(SecureWire.decodePreparation(body)));
              case "prepare-shares" -> {
                var rounds = SecureWire.decodeDirectories(body);
                yield SecureWire.encodeShares(
                    n.securePrepareShares(
                        rounds.stream().map(SecureWire.Request::roundId).toList(),
                        rounds.stream().map(SecureWire.Request::body).toList()));
              }
              case "one-trip" -> SecureWire.encode(n.secureOneTrip(SecureWire.decodeStep(body)));
              default ->
                  throw new SalusException(
                      "secagg.phase.unknown", "no secure-aggregation phase " + phase);
            });
      }
    } catch (SalusException e) {
      return problem(400, e.code(), e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      // a key or share the protocol cannot use; the round is dropped at this node
      return problem(
          400,
          "secagg.message.unusable",
          "phase " + phase + ": the message cannot be used (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public Reply leave(TrustedNodeEntry hub, String studyId) {
    if (ownProposal(hub, studyId).isEmpty()) {
      return unknown(studyId);
    }
    Session s;
    synchronized (this) {
      s = sessions.remove(studyId);
    }
    ObjectNode out = JSON.createObjectNode();
    if (s != null) {
      synchronized (s) {
        s.dp()
            .flatMap(d -> StudyReceipt.NodePart.of(nodeId, ledger, d, clock.instant()))
            .ifPresent(part -> out.set("receiptPart", JSON.valueToTree(part)));
        s.dp().ifPresent(d -> out.put("zeroNoise", d.zeroNoise()));
        s.close();
      }
    }
    return ok(out.toString());
  }

  // --- steward

  /**
   * A steward's credential names the node they steward (claim {@code node}); it must be this one.
   */
  private Optional<Reply> notOurs(Principal steward) {
    if (steward.claim("node").filter(nodeId::equals).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        problem(
            403,
            "steward.other-node",
            "this node is "
                + nodeId
                + "; log in with the steward credential of this node and disclose its node claim"
                + " (--reveal node)"));
  }

  @Override
  public Reply proposals(Principal steward) {
    Optional<Reply> refused = notOurs(steward);
    if (refused.isPresent()) {
      return refused.get();
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("node", nodeId);
    var list = out.putArray("studies");
    for (Proposal p : proposals.all()) {
      list.add(view(p));
    }
    return ok(out.toString());
  }

  @Override
  public Reply decide(Principal steward, String studyId, boolean approve, String body) {
    Optional<Reply> refused = notOurs(steward);
    if (refused.isPresent()) {
      return refused.get();
    }
    Optional<String> reason;
    try {
      JsonNode b = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
      reason =
          Optional.ofNullable(b.get("reason"))
              .filter(JsonNode::isTextual)
              .map(JsonNode::asText)
              .map(String::strip)
              .filter(r -> !r.isEmpty());
    } catch (IOException e) {
      return problem(400, "study.decision.malformed", "the body is JSON: {\"reason\": \"...\"}");
    }
    if (!approve && reason.isEmpty()) {
      return problem(
          400, "study.decision.reason", "a rejection needs a reason the researcher will read");
    }
    synchronized (this) {
      Optional<Proposal> p = proposals.find(studyId);
      if (p.isEmpty()) {
        return unknown(studyId);
      }
      if (p.get().state() != State.PENDING) {
        return problem(
            409,
            StudyProposals.DECIDED,
            "study " + studyId + " was already " + p.get().state().wireName() + " at this node");
      }
      Study study = StudyJson.read(p.get().document());
      String by = "steward:" + steward.issuer() + "/" + steward.subject();
      EventContext c = context(study, by, sha256(p.get().proposal()));
      ledger.append(
          approve
              ? new LedgerEvent.StudyApproval(c, studyId)
              : new LedgerEvent.StudyRejection(c, studyId));
      Proposal d =
          proposals.decide(
              studyId, approve ? State.APPROVED : State.REJECTED, by, clock.instant(), reason);
      return ok(view(d).toString());
    }
  }

  // --- helpers

  private static Hash sha256(String text) {
    try {
      return Hash.of(
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private Optional<Proposal> ownProposal(TrustedNodeEntry hub, String studyId) {
    return proposals.find(studyId).filter(p -> p.hub().equals(hub.id()));
  }

  private EventContext context(Study study, String actor, Hash request) {
    return new EventContext(
        clock.instant(),
        ActorId.ofCredential(actor),
        Optional.empty(),
        study.purpose().code(),
        List.of("study"),
        Optional.of(request));
  }

  private ObjectNode view(Proposal p) {
    ObjectNode v = JSON.createObjectNode();
    v.put("study", p.studyId());
    v.put("node", nodeId);
    v.put("title", p.title());
    v.put("purpose", p.purpose());
    v.put("hub", p.hub());
    v.put("researcher", p.researcher());
    p.institution().ifPresent(i -> v.put("institution", i));
    v.put("receivedAt", p.receivedAt().toString());
    v.put("state", p.state().wireName());
    p.decidedBy().ifPresent(b -> v.put("decidedBy", b));
    p.decidedAt().ifPresent(t -> v.put("decidedAt", t.toString()));
    p.rule().ifPresent(r -> v.put("rule", r));
    p.reason().ifPresent(r -> v.put("reason", r));
    if (p.state() == State.REJECTED) {
      v.put(
          "remedy",
          p.rule()
              .flatMap(StudyPolicy::remedy)
              .orElse("the steward gave the reason above; ask them what would change it"));
    }
    return v;
  }

  private static Reply unknown(String studyId) {
    return problem(404, StudyProposals.UNKNOWN, "no study " + studyId + " was proposed here");
  }

  private static Reply ok(String json) {
    return new Reply(200, "application/json", json);
  }

  static Reply problem(int status, String code, String detail) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", "urn:salus:problem:" + code);
    p.put("title", status >= 500 ? "Node error" : "Request refused");
    p.put("status", status);
    p.put("detail", detail);
    p.put("code", code);
    return new Reply(status, PROBLEM, p.toString());
  }

  /** One running study at this node: its connection, study-side view and DP. */
  private record Session(
      String hub, Connection connection, LocalStudyNode study, Optional<NodeDp> dp)
      implements AutoCloseable {

    static Session open(
        NodeStudies n, String hub, Study study, String researcher, int participants) {
      Connection c = n.node.node().store().database().connect();
      try {
        Optional<NodeDp> dp =
            study.privacy().rho().isPresent()
                ? Optional.of(
                    new NodeDp(
                        participants,
                        researcher,
                        NodeBudgets.open(n.dir),
                        n.ledger::append,
                        new java.security.SecureRandom()))
                : Optional.empty();
        StudyPolicy policy = policy(n.dir);
        return new Session(
            hub,
            c,
            new LocalStudyNode(
                n.nodeId, c, n.node.consents(), policy.disclosure(), n.clock.instant(), dp),
            dp);
      } catch (RuntimeException e) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        study.close();
      } finally {
        try {
          connection.close();
        } catch (SQLException e) {
          // the session's temporary tables go with the connection
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    sessions.values().forEach(Session::close);
    sessions.clear();
    proposals.close();
  }
}
