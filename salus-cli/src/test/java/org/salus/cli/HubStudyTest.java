package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.salus.cli.FederationSteps.ok;
import static org.salus.cli.StudyRunCommandTest.salus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.server.http.ServerSettings;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;

/**
 * A hub and its nodes over mutual TLS, from the command line: a researcher submits a study to the
 * hub inside hospital-a; hospital-a approves it by its policy, hospital-b's steward approves it
 * over the API, hospital-c's policy rejects its purpose and hospital-d is down. The study runs on a
 * and b once d's decision times out, and its results equal {@code salus study run} over a and b in
 * one process (integers and text exactly, doubles to 1e-12: the node database may add a column's
 * doubles in another order from run to run). Every decision is in the deciding node's ledger.
 */
class HubStudyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NODES =
      List.of("hospital-a", "hospital-b", "hospital-c", "hospital-d");

  @TempDir Path tmp;

  private final Map<String, Path> dirs = new TreeMap<>();
  private final Map<String, ReservedPort> ports = new TreeMap<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private LocalFederation fed;

  @Test
  void aStudyRunsAtTheNodesThatApprovedItAndEqualsTheInProcessRun() throws Exception {
    Random random = new Random(11);
    int[] sizes = {60, 50, 40, 30};
    List<LocalFederation.Member> members = new ArrayList<>();
    for (int i = 0; i < NODES.size(); i++) {
      members.add(node(NODES.get(i), sizes[i], random));
    }
    fed = LocalFederation.create(tmp.resolve("fed"), "eu-health", members);
    Files.writeString(
        dirs.get("hospital-a").resolve(NodeStudies.POLICY_FILE),
        "{\"autoApprove\": [{\"purposes\": [\"HRESCH\"], \"analysisTypes\": [\"count\","
            + " \"summary\", \"glm\"]}]}");
    Files.writeString(
        dirs.get("hospital-c").resolve(NodeStudies.POLICY_FILE),
        "{\"allowedPurposes\": [\"PUBHLTH\"], \"minCellSize\": 10}");
    Path researcher = fed.credential("researcher", "researcher-1", 1, "institution=Erasmus MC");
    Path other = fed.credential("researcher", "researcher-2", 2, "institution=Elsewhere");
    Path steward = fed.credential("steward", "steward-b", 3, "node=hospital-b");
    Path stewardOfC = fed.credential("steward", "steward-c", 4, "node=hospital-c");
    Path study = tmp.resolve("study.json");
    Files.writeString(study, StudyRunCommandTest.STUDY);
    String hub = "https://localhost:" + ports.get("hospital-a").port();
    String nodeB = "https://localhost:" + ports.get("hospital-b").port();
    JsonNode viaHub;
    try (RunningNode a = start("hospital-a", true);
        RunningNode b = start("hospital-b", false);
        RunningNode c = start("hospital-c", false)) {
      ports.get("hospital-d").close(); // hospital-d is down: nothing listens on its port
      JsonNode submitted =
          json(client(researcher, "study", "submit", study.toString(), "--hub", hub));
      assertThat(submitted.path("id").asText()).isEqualTo("test-diabetes");
      JsonNode nodes = submitted.path("nodes");
      assertThat(nodes.path("hospital-a").path("state").asText())
          .as(submitted.toString())
          .isEqualTo("approved");
      assertThat(nodes.path("hospital-a").path("rule").asText()).isEqualTo("autoApprove[0]");
      assertThat(nodes.path("hospital-b").path("state").asText()).isEqualTo("pending");
      assertThat(nodes.path("hospital-c").path("state").asText()).isEqualTo("rejected");
      assertThat(nodes.path("hospital-c").path("rule").asText())
          .isEqualTo("policy.purpose-not-allowed");
      assertThat(nodes.path("hospital-c").path("remedy").asText()).isNotBlank();
      assertThat(nodes.path("hospital-d").path("state").asText()).isEqualTo("unreachable");

      StudyRunCommandTest.Run again =
          clientRun(researcher, "study", "submit", study.toString(), "--hub", hub);
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).contains("study.duplicate");
      StudyRunCommandTest.Run notHers =
          clientRun(other, "study", "status", "test-diabetes", "--hub", hub);
      assertThat(notHers.exit()).as("another researcher does not see the study").isEqualTo(1);
      assertThat(notHers.err()).contains("study.unknown");
      StudyRunCommandTest.Run early =
          clientRun(researcher, "study", "results", "test-diabetes", "--hub", hub);
      assertThat(early.err()).contains("study.not-finished");

      // hospital-b's steward: sees the proposal, must give a reason to reject, approves.
      JsonNode proposals =
          json(client(steward, "study", "proposals", "--node", nodeB, "--reveal", "node"));
      assertThat(proposals.path("studies").get(0).path("state").asText()).isEqualTo("pending");
      assertThat(proposals.path("studies").get(0).path("researcher").asText())
          .isEqualTo("demo-register/researcher-1");
      StudyRunCommandTest.Run noReason =
          clientRun(
              steward, "study", "reject", "test-diabetes", "--node", nodeB, "--reveal", "node");
      assertThat(noReason.err()).contains("study.decision.reason");
      JsonNode approved =
          json(
              client(
                  steward,
                  "study",
                  "approve",
                  "test-diabetes",
                  "--node",
                  nodeB,
                  "--reveal",
                  "node"));
      assertThat(approved.path("state").asText()).isEqualTo("approved");
      assertThat(approved.path("decidedBy").asText()).isEqualTo("steward:demo-register/steward-b");
      StudyRunCommandTest.Run twice =
          clientRun(
              steward, "study", "approve", "test-diabetes", "--node", nodeB, "--reveal", "node");
      assertThat(twice.err()).contains("study.proposal.decided");
      StudyRunCommandTest.Run otherSteward =
          clientRun(
              stewardOfC, "study", "approve", "test-diabetes", "--node", nodeB, "--reveal", "node");
      assertThat(otherSteward.err())
          .as("hospital-c's steward cannot decide for hospital-b")
          .contains("steward.other-node");
      StudyRunCommandTest.Run researcherAsSteward =
          clientRun(researcher, "study", "proposals", "--node", nodeB);
      assertThat(researcherAsSteward.err()).contains("access.denied");

      JsonNode status = waitFor(researcher, hub, Duration.ofSeconds(60));
      assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("completed");
      assertThat(status.path("nodes").path("hospital-b").path("state").asText())
          .as("the steward's approval reached the hub before the timeout")
          .isEqualTo("approved");
      assertThat(status.path("nodes").path("hospital-d").path("state").asText())
          .isEqualTo("undecided");
      assertThat(status.path("nodes").path("hospital-d").path("reason").asText())
          .contains("ran without this node");
      viaHub = json(client(researcher, "study", "results", "test-diabetes", "--hub", hub));
      assertThat(viaHub.path("report").asText()).contains("test-diabetes");

      assertThat(events(a)).as(viaHub.toString()).contains("StudyApproval", "StudyContribution");
      assertThat(events(b)).as(viaHub.toString()).contains("StudyApproval", "StudyContribution");
      assertThat(events(c)).contains("StudyRejection").doesNotContain("StudyContribution");
    }

    JsonNode result = viaHub.path("result");
    assertThat(result.path("analyses")).hasSize(3);
    for (JsonNode answer : result.path("analyses")) {
      assertThat(names(answer.path("contributors")))
          .as("answer %s", answer.path("index"))
          .containsExactly("hospital-a", "hospital-b");
      assertThat(answer.path("issues")).isEmpty();
    }
    StudyRunCommandTest.Run local =
        salus(
            "study",
            "run",
            study.toString(),
            "--json",
            "--node",
            dirs.get("hospital-a").toString(),
            "--node",
            dirs.get("hospital-b").toString());
    assertThat(local.exit()).as(local.err()).isZero();
    JsonNode inProcess = JSON.readTree(local.out());
    for (int i = 0; i < inProcess.path("analyses").size(); i++) {
      same(
          "analysis " + i,
          inProcess.path("analyses").get(i).path("outcome"),
          result.path("analyses").get(i).path("outcome"));
    }
    assertThat(result.path("analyses").get(2).path("outcome").path("type").asText())
        .as("the logistic regression was computed, not withheld")
        .isNotEqualTo("notComputed");
  }

  private LocalFederation.Member node(String name, int people, Random random) throws Exception {
    Path dir = tmp.resolve(name);
    dirs.put(name, dir);
    ok("node", "init", "--dir", dir.toString(), "--name", name);
    ok("consent", "defaults", "--dir", dir.toString(), "--set", "HRESCH=opt-out");
    try (Node node = NodeDirectory.open(dir);
        Connection c = node.store().database().connect()) {
      StudyRunCommandTest.insert(
          c, StudyRunCommandTest.people(name, people, random, new ArrayList<>()));
    }
    ReservedPort port = ReservedPort.take();
    ports.put(name, port);
    return new LocalFederation.Member(name, dir, port.port(), "NL");
  }

  private RunningNode start(String name, boolean hub) throws Exception {
    ports.get(name).close();
    RunningNode n =
        RunningNode.start(
            dirs.get(name),
            new ServerSettings("localhost", ports.get(name).port()),
            hub
                ? Optional.of(
                    new RunningNode.HubSettings(Duration.ofSeconds(15), Duration.ofMillis(100)))
                : Optional.empty(),
            Duration.ofHours(1),
            log::add);
    n.node().statusLists().refresh(fed.statusList());
    return n;
  }

  /** A client command run as the holder of {@code credential}, through hospital-a's identity. */
  private StudyRunCommandTest.Run clientRun(Path credential, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--json",
            "--tls",
            dirs.get("hospital-a").toString(),
            "--credential",
            credential.toString(),
            "--holder-key",
            fed.holderKey().toString()));
    return salus(all.toArray(String[]::new));
  }

  private StudyRunCommandTest.Run client(Path credential, String... args) {
    StudyRunCommandTest.Run r = clientRun(credential, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err() + log).isZero();
    return r;
  }

  private static JsonNode json(StudyRunCommandTest.Run r) throws IOException {
    return JSON.readTree(r.out());
  }

  private JsonNode waitFor(Path researcher, String hub, Duration limit) throws Exception {
    Instant until = Instant.now().plus(limit);
    JsonNode status;
    do {
      Thread.sleep(200);
      status = json(client(researcher, "study", "status", "test-diabetes", "--hub", hub));
    } while (!List.of("completed", "failed").contains(status.path("state").asText())
        && Instant.now().isBefore(until));
    return status;
  }

  private static List<String> events(RunningNode n) {
    List<String> kinds = new ArrayList<>();
    for (byte[] entry : n.ledger().entries(0, n.ledger().size())) {
      LedgerEvent e = EntryCodec.decode(entry);
      kinds.add(e.getClass().getSimpleName());
    }
    return kinds;
  }

  /**
   * The same answer: the same fields, integers and text; doubles to 1e-12 relative. The wire
   * carries doubles bit for bit (StudyWireTest), but the node database may add a column's doubles
   * in another order from one run to the next.
   */
  private static void same(String where, JsonNode expected, JsonNode got) {
    if (expected.isObject()) {
      assertThat(names(got.fieldNames())).as(where).isEqualTo(names(expected.fieldNames()));
      expected
          .fieldNames()
          .forEachRemaining(f -> same(where + "." + f, expected.get(f), got.get(f)));
    } else if (expected.isArray()) {
      assertThat(got.size()).as(where).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        same(where + "[" + i + "]", expected.get(i), got.get(i));
      }
    } else if (expected.isFloatingPointNumber()) {
      double e = expected.doubleValue();
      assertThat(got.doubleValue()).as(where).isCloseTo(e, within(1e-12 * (1 + Math.abs(e))));
    } else {
      assertThat(got).as(where).isEqualTo(expected);
    }
  }

  private static List<String> names(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
