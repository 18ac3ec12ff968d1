package org.salus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.salus.core.error.SalusException;
import org.salus.core.stats.FitSettings;
import org.salus.core.study.Study;
import org.salus.core.study.run.StudyCoordinator;
import org.salus.core.study.run.StudyResult;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.http.PeerClient;
import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort.Reply;
import org.salus.server.study.HubPort;
import org.salus.server.trust.SignedMessage;
import org.salus.server.trust.TrustListHolder;
import org.salus.store.study.StudyJson;

/**
 * The hub (docs/studies.md, "Hub and nodes"): researchers submit study documents; the hub proposes
 * each study, signed, to the nodes it names, follows their decisions, and runs it over the nodes
 * that approved it through the {@link StudyCoordinator} with {@link RemoteStudyNode}s — so the hub
 * sees only what each node's disclosure control released. Studies and results are kept as JSON
 * files in {@code D/hub/studies/} and survive a restart.
 *
 * <p>A study waits until every node has approved or rejected it, or until the decision timeout,
 * after which nodes that have not decided (or could not be reached) are left out and named. A study
 * runs on the nodes that approved it; with none it fails with every node's reason.
 */
final class StudyHub implements HubPort, AutoCloseable {

  /** Hub-side study states. */
  static final String WAITING = "waiting";

  static final String RUNNING = "running";
  static final String COMPLETED = "completed";
  static final String FAILED = "failed";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String hubId;
  private final OctetKeyPair signingKey;
  private final Path dir;
  private final Clock clock;
  private final Duration decisionTimeout;
  private final Consumer<String> say;
  private final Map<String, ObjectNode> studies = new LinkedHashMap<>();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "salus-hub");
            t.setDaemon(true);
            return t;
          });
  private volatile TrustListHolder trustList;
  private volatile PeerClient client;

  StudyHub(
      String hubId,
      OctetKeyPair signingKey,
      Path dir,
      Clock clock,
      Duration decisionTimeout,
      Consumer<String> say) {
    this.hubId = hubId;
    this.signingKey = signingKey;
    this.dir = dir.resolve("hub").resolve("studies");
    this.clock = clock;
    this.decisionTimeout = decisionTimeout;
    this.say = say;
    load();
  }

  /** Starts following and running studies once the node's server (and its TLS) is up. */
  void start(TrustListHolder trust, PeerClient peers, Duration poll) {
    this.trustList = trust;
    this.client = peers;
    worker.scheduleWithFixedDelay(
        this::tick, 0, Math.max(10, poll.toMillis()), TimeUnit.MILLISECONDS);
  }

  // --- researcher routes

  @Override
  public Reply submit(Principal researcher, String studyJson) {
    if (trustList == null) {
      return NodeStudies.problem(503, "hub.starting", "the hub is still starting");
    }
    Study study;
    try {
      study = StudyJson.read(studyJson);
    } catch (SalusException e) {
      return NodeStudies.problem(400, e.code(), e.getMessage());
    }
    if (!ID.matcher(study.id()).matches()) {
      return NodeStudies.problem(
          400,
          "study.invalid",
          "id: letters, digits, '.', '_' and '-', at most 128, starting with a letter or digit");
    }
    TrustList list = trustList.current();
    List<String> unknown = study.nodes().stream().filter(n -> list.node(n).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      return NodeStudies.problem(
          400,
          "study.nodes.unknown",
          "nodes: the federation's trust list names no node " + unknown);
    }
    ObjectNode s;
    synchronized (this) {
      if (studies.containsKey(study.id())) {
        return NodeStudies.problem(
            409, "study.duplicate", "a study with id " + study.id() + " was already submitted");
      }
      s = JSON.createObjectNode();
      s.put("id", study.id());
      s.put("title", study.title());
      s.put("purpose", study.purpose().code());
      s.put("researcher", owner(researcher));
      researcher.claim("institution").ifPresent(i -> s.put("institution", i));
      s.put("submittedAt", clock.instant().toString());
      s.put("state", WAITING);
      s.put("document", studyJson);
      ObjectNode nodes = s.putObject("nodes");
      for (String n : study.nodes()) {
        nodes.putObject(n).put("state", "unsent");
      }
      studies.put(study.id(), s);
      save(s);
    }
    return reply(201, propose(s, researcher));
  }

  @Override
  public synchronized Reply list(Principal researcher) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("studies");
    for (ObjectNode s : studies.values()) {
      if (s.path("researcher").asText().equals(owner(researcher))) {
        list.addObject()
            .put("id", s.path("id").asText())
            .put("title", s.path("title").asText())
            .put("state", s.path("state").asText())
            .put("submittedAt", s.path("submittedAt").asText());
      }
    }
    return reply(200, out);
  }

  @Override
  public synchronized Reply status(Principal researcher, String studyId) {
    return own(researcher, studyId).map(s -> reply(200, view(s))).orElseGet(() -> none(studyId));
  }

  @Override
  public synchronized Reply results(Principal researcher, String studyId) {
    Optional<ObjectNode> s = own(researcher, studyId);
    if (s.isEmpty()) {
      return none(studyId);
    }
    String state = s.get().path("state").asText();
    if (state.equals(FAILED)) {
      return NodeStudies.problem(
          409, "study.failed", "study " + studyId + " failed: " + s.get().path("error").asText());
    }
    if (!state.equals(COMPLETED)) {
      return NodeStudies.problem(
          409, "study.not-finished", "study " + studyId + " is " + state + "; ask again later");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("id", studyId);
    out.set("result", s.get().get("result"));
    out.put("report", s.get().path("report").asText());
    if (s.get().has("receipt")) {
      out.set("receipt", s.get().get("receipt"));
    }
    return reply(200, out);
  }

  // --- following and running

  /**
   * Signs the proposal and sends it to every node; the study as it stands right after (taken under
   * the study's lock, before the follower can resend to an unreachable node).
   */
  private ObjectNode propose(ObjectNode s, Principal researcher) {
    Map<String, Object> researcherClaims = new LinkedHashMap<>();
    researcherClaims.put("issuer", researcher.issuer());
    researcherClaims.put("subject", researcher.subject());
    researcher.claim("institution").ifPresent(i -> researcherClaims.put("institution", i));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("study", s.path("id").asText());
    body.put("document", s.path("document").asText());
    body.put("researcher", researcherClaims);
    String signed = SignedMessage.sign(hubId, signingKey, NodeStudies.PROPOSE, body).compact();
    synchronized (s) {
      synchronized (this) {
        s.put("proposal", signed);
        save(s);
      }
      sendUnsent(s);
      return view(s);
    }
  }

  private void sendUnsent(ObjectNode s) {
    String signed;
    List<String> targets = new ArrayList<>();
    synchronized (this) {
      signed = s.path("proposal").asText();
      s.path("nodes")
          .properties()
          .forEach(
              e -> {
                String st = e.getValue().path("state").asText();
                if (st.equals("unsent") || st.equals("unreachable")) {
                  targets.add(e.getKey());
                  ((ObjectNode) e.getValue()).put("state", "sending");
                }
              });
    }
    for (String node : targets) {
      ObjectNode answer = call(node, "POST", "/studies/proposals", signed);
      synchronized (this) {
        ((ObjectNode) s.path("nodes")).set(node, answer);
        save(s);
      }
    }
  }

  /** One node's answer as the node state the hub keeps. */
  private ObjectNode call(String node, String method, String path, String body) {
    ObjectNode state = JSON.createObjectNode();
    Optional<TrustedNodeEntry> entry = trustList.current().node(node);
    if (entry.isEmpty()) {
      return state
          .put("state", "rejected")
          .put("rule", "trust-list.not-listed")
          .put("reason", "the federation's trust list no longer names this node");
    }
    URI url = URI.create(entry.get().baseUrl()).resolve(path);
    try {
      HttpResponse<String> r =
          method.equals("POST")
              ? client.post(url, "application/jose", body, Optional.empty())
              : client.get(url, Optional.empty());
      JsonNode answer;
      try {
        answer = JSON.readTree(r.body());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        return state
            .put("state", "rejected")
            .put("rule", "http." + r.statusCode())
            .put("reason", "the node answered HTTP " + r.statusCode() + " without a JSON body");
      }
      if (r.statusCode() == 200) {
        state.put("state", answer.path("state").asText("pending"));
        for (String f : List.of("decidedBy", "decidedAt", "rule", "reason", "remedy")) {
          if (answer.hasNonNull(f)) {
            state.put(f, answer.get(f).asText());
          }
        }
        return state;
      }
      return state
          .put("state", "rejected")
          .put("rule", answer.path("code").asText("http." + r.statusCode()))
          .put("reason", answer.path("detail").asText("the node answered " + r.statusCode()));
    } catch (IOException e) {
      return state
          .put("state", "unreachable")
          .put(
              "reason",
              "the node could not be reached: "
                  + e.getClass().getSimpleName()
                  + Optional.ofNullable(e.getMessage()).map(m -> " (" + m + ")").orElse(""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return state.put("state", "unreachable").put("reason", "interrupted");
    }
  }

  private void tick() {
    try {
      List<ObjectNode> waiting;
      synchronized (this) {
        waiting =
            studies.values().stream()
                .filter(s -> s.path("state").asText().equals(WAITING))
                .toList();
      }
      for (ObjectNode s : waiting) {
        follow(s);
      }
    } catch (RuntimeException e) {
      say.accept("hub: " + e.getClass().getSimpleName() + " while following studies");
    }
  }

  private void follow(ObjectNode s) {
    synchronized (s) {
      followLocked(s);
    }
  }

  private void followLocked(ObjectNode s) {
    if (!s.hasNonNull("proposal")) {
      return; // the submit is still signing it
    }
    sendUnsent(s);
    String id = s.path("id").asText();
    List<String> pending = nodesIn(s, "pending");
    for (String node : pending) {
      ObjectNode answer = call(node, "GET", "/studies/" + id + "/decision", "");
      if (!answer.path("state").asText().equals("unreachable")) {
        synchronized (this) {
          ((ObjectNode) s.path("nodes")).set(node, answer);
          save(s);
        }
      }
    }
    boolean undecided =
        !nodesIn(s, "pending").isEmpty()
            || !nodesIn(s, "unreachable").isEmpty()
            || !nodesIn(s, "unsent").isEmpty()
            || !nodesIn(s, "sending").isEmpty();
    Instant submitted = Instant.parse(s.path("submittedAt").asText());
    if (undecided && clock.instant().isBefore(submitted.plus(decisionTimeout))) {
      return;
    }
    synchronized (this) {
      s.path("nodes")
          .properties()
          .forEach(
              e -> {
                String st = e.getValue().path("state").asText();
                if (!st.equals("approved") && !st.equals("rejected")) {
                  ((ObjectNode) e.getValue())
                      .put("state", "undecided")
                      .put(
                          "reason",
                          "no decision within "
                              + decisionTimeout
                              + " ("
                              + st
                              + "); the study ran without this node");
                }
              });
      s.put("state", RUNNING);
      s.put("startedAt", clock.instant().toString());
      save(s);
    }
    run(s);
  }

  private List<String> nodesIn(ObjectNode s, String state) {
    synchronized (this) {
      List<String> out = new ArrayList<>();
      s.path("nodes")
          .properties()
          .forEach(
              e -> {
                if (e.getValue().path("state").asText().equals(state)) {
                  out.add(e.getKey());
                }
              });
      return out;
    }
  }

  private void run(ObjectNode s) {
    Study study = StudyJson.read(s.path("document").asText());
    List<String> approved = nodesIn(s, "approved");
    if (approved.isEmpty()) {
      finish(s, FAILED, "no node approved the study; see each node's reason", null, null, null);
      return;
    }
    if (approved.size() < study.minNodes()) {
      finish(
          s,
          FAILED,
          approved.size()
              + " node(s) approved the study; it asks for at least "
              + study.minNodes()
              + " (minNodes); see each node's reason",
          null,
          null,
          null);
      return;
    }
    TrustList list = trustList.current();
    List<RemoteStudyNode> nodes = new ArrayList<>();
    for (String n : approved) {
      list.node(n)
          .ifPresent(
              e ->
                  nodes.add(
                      new RemoteStudyNode(
                          n, URI.create(e.baseUrl()), client, study.id(), approved.size())));
    }
    StudyResult result;
    try {
      result =
          new StudyCoordinator(
                  FitSettings.defaults(), Runnable::run, new org.salus.store.study.SecureVectors())
              .run(study, nodes);
    } catch (RuntimeException e) {
      nodes.forEach(RemoteStudyNode::close);
      finish(
          s,
          FAILED,
          "the hub failed while running the study: " + e.getClass().getSimpleName(),
          null,
          null,
          null);
      return;
    }
    nodes.forEach(RemoteStudyNode::close);
    JsonNode receipt = null;
    if (study.privacy().rho().isPresent()) {
      List<StudyReceipt.NodePart> parts = new ArrayList<>();
      for (RemoteStudyNode n : nodes) {
        n.receiptPart()
            .ifPresent(
                p -> {
                  try {
                    parts.add(JSON.treeToValue(p, StudyReceipt.NodePart.class));
                  } catch (IOException | IllegalArgumentException e) {
                    say.accept("hub: node " + n.name() + " sent a receipt part that does not read");
                  }
                });
      }
      receipt =
          JSON.valueToTree(
              StudyReceipt.of(
                  study,
                  parts,
                  nodes.stream().anyMatch(RemoteStudyNode::zeroNoise),
                  Optional.of(result)));
    }
    finish(s, COMPLETED, null, Reporting.tree(result), StudyReport.text(result), receipt);
  }

  private synchronized void finish(
      ObjectNode s, String state, String error, JsonNode result, String report, JsonNode receipt) {
    s.put("state", state);
    s.put("finishedAt", clock.instant().toString());
    if (error != null) {
      s.put("error", error);
    }
    if (result != null) {
      s.set("result", result);
      s.put("report", report);
    }
    if (receipt != null) {
      s.set("receipt", receipt);
    }
    save(s);
  }

  // --- helpers

  private static String owner(Principal p) {
    return p.issuer() + "/" + p.subject();
  }

  private Optional<ObjectNode> own(Principal researcher, String studyId) {
    return Optional.ofNullable(studies.get(studyId))
        .filter(s -> s.path("researcher").asText().equals(owner(researcher)));
  }

  private static Reply none(String studyId) {
    return NodeStudies.problem(
        404, "study.unknown", "you submitted no study " + studyId + " to this hub");
  }

  /** The study as its researcher sees it: everything but the document, proposal and results. */
  private ObjectNode view(ObjectNode s) {
    ObjectNode v;
    synchronized (this) {
      v = s.deepCopy();
    }
    v.remove(List.of("document", "proposal", "result", "report", "receipt"));
    v.put("hub", hubId);
    return v;
  }

  private static Reply reply(int status, JsonNode body) {
    return new Reply(status, "application/json", body.toString());
  }

  private void load() {
    try {
      Files.createDirectories(dir);
      try (var files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          ObjectNode s = (ObjectNode) JSON.readTree(f.toFile());
          if (s.path("state").asText().equals(RUNNING)) {
            s.put("state", FAILED);
            s.put("error", "the hub stopped while the study ran; submit it again with a new id");
          }
          studies.put(s.path("id").asText(), s);
        }
      }
    } catch (IOException | ClassCastException e) {
      throw new SalusException("hub.state.unreadable", "cannot read the hub's studies in " + dir);
    }
  }

  private void save(ObjectNode s) {
    Path file = dir.resolve(s.path("id").asText() + ".json");
    Path tmp = dir.resolve(s.path("id").asText() + ".json.tmp");
    try {
      JSON.writeValue(tmp.toFile(), s);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new SalusException("hub.state.unwritable", "cannot write the hub's study " + file);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
