package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.salus.cli.FederationSteps.ok;
import static org.salus.cli.StudyRunCommandTest.salus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.salus.server.http.ServerSettings;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.study.NodeBudgets;

/**
 * A study with ρ and secure aggregation over mutual TLS: three nodes approve it by policy, the hub
 * runs every step as a secure-aggregation round over the nodes' {@code /studies/{id}/secagg/...}
 * routes, and in the zero-noise mode its results equal {@code salus study run} over the same nodes
 * in one process (which runs the same rounds in memory); both say the totals were securely summed.
 */
class SecureHubStudyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NODES = List.of("hospital-a", "hospital-b", "hospital-c");

  private static final String STUDY =
      StudyRunCommandTest.STUDY
          .replace("\"test-diabetes\"", "\"secure-diabetes\"")
          .replace(
              "\"nodes\": [\"hospital-a\", \"hospital-b\", \"hospital-c\", \"hospital-d\"]",
              "\"nodes\": [\"hospital-a\", \"hospital-b\", \"hospital-c\"],"
                  + " \"privacy\": { \"rho\": 1.0, \"glmRounds\": 25, \"secureAggregation\": true,"
                  + " \"bounds\": { \"bmi\": { \"lower\": 10, \"upper\": 60 },"
                  + " \"age\": { \"lower\": 0, \"upper\": 120 } } }");

  @TempDir Path tmp;

  private final Map<String, Path> dirs = new TreeMap<>();
  private final Map<String, ReservedPort> ports = new TreeMap<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private LocalFederation fed;

  /**
   * Three nodes approving by policy ({@code withholding} also enforces a minimum cell size no count
   * reaches), zero-noise budgets; the study submitted to the hub in hospital-a and run.
   */
  private JsonNode runViaHub(Optional<String> withholding) throws Exception {
    assertThat(STUDY).contains("secureAggregation");
    Random random = new Random(23);
    int[] sizes = {60, 50, 40};
    List<LocalFederation.Member> members = new ArrayList<>();
    for (int i = 0; i < NODES.size(); i++) {
      members.add(node(NODES.get(i), sizes[i], random));
    }
    fed = LocalFederation.create(tmp.resolve("fed"), "eu-health", members);
    for (Map.Entry<String, Path> e : dirs.entrySet()) {
      Path dir = e.getValue();
      Files.writeString(
          dir.resolve(NodeStudies.POLICY_FILE),
          "{\"autoApprove\": [{\"purposes\": [\"HRESCH\"], \"analysisTypes\": [\"count\","
              + " \"summary\", \"glm\"]}]"
              + (withholding.filter(e.getKey()::equals).isPresent()
                  ? ", \"minCellSize\": 100000}"
                  : "}"));
      NodeBudgets.open(dir).setLimit(Optional.empty(), 1000);
      Files.writeString(
          dir.resolve(NodeBudgets.FILE),
          Files.readString(dir.resolve(NodeBudgets.FILE))
              + NodeBudgets.ZERO_NOISE_KEY
              + "="
              + NodeBudgets.ZERO_NOISE_CONSENT
              + "\n");
    }
    Path researcher = fed.credential("researcher", "researcher-1", 1, "institution=Erasmus MC");
    Files.writeString(study, STUDY);
    String hub = "https://localhost:" + ports.get("hospital-a").port();
    try (RunningNode a = start("hospital-a", true);
        RunningNode b = start("hospital-b", false);
        RunningNode c = start("hospital-c", false)) {
      client(researcher, "study", "submit", study.toString(), "--hub", hub);
      JsonNode status = waitFor(researcher, hub, Duration.ofSeconds(120));
      assertThat(status.path("state").asText()).as(status + " " + log).isEqualTo("completed");
      return JSON.readTree(
          client(researcher, "study", "results", "secure-diabetes", "--hub", hub).out());
    }
  }

  private Path study;

  private JsonNode inProcess(List<String> nodes) throws Exception {
    List<String> args = new ArrayList<>(List.of("study", "run", study.toString(), "--json"));
    for (String n : nodes) {
      args.addAll(List.of("--node", dirs.get(n).toString()));
    }
    StudyRunCommandTest.Run local = salus(args.toArray(String[]::new));
    assertThat(local.exit()).as(local.err()).isZero();
    return JSON.readTree(local.out());
  }

  @Test
  void aNodeThatWithholdsOverHttpIsNamedAndTheOthersAreSummed() throws Exception {
    study = tmp.resolve("study.json");
    JsonNode viaHub = runViaHub(Optional.of("hospital-c"));
    JsonNode result = viaHub.path("result");
    JsonNode inProcess = inProcess(List.of("hospital-a", "hospital-b"));
    // under secure aggregation with ρ the GLM goes on over the survivors (no restart, for which
    // the nodes would lack a round): the fit over hospital-a and hospital-b, as in process
    JsonNode glm = result.path("analyses").get(2);
    assertThat(glm.path("issues").findValuesAsText("code"))
        .containsExactly("disclosure.min-cell-size");
    assertThat(names(glm.path("contributors"))).containsExactly("hospital-a", "hospital-b");
    same("glm", inProcess.path("analyses").get(2).path("outcome"), glm.path("outcome"));
    for (int i = 0; i < 2; i++) {
      JsonNode answer = result.path("analyses").get(i);
      assertThat(names(answer.path("contributors")))
          .as(answer.toString())
          .containsExactly("hospital-a", "hospital-b");
      assertThat(answer.path("issues")).hasSize(1);
      JsonNode issue = answer.path("issues").get(0);
      assertThat(issue.path("node").asText()).isEqualTo("hospital-c");
      assertThat(issue.path("kind").asText()).isEqualTo("withheld");
      assertThat(issue.path("code").asText()).startsWith("disclosure.");
      assertThat(issue.path("remedy").asText()).isNotBlank();
      JsonNode dropout = answer.path("secureAggregation").path("dropouts").get(0);
      assertThat(dropout.path("node").asText()).isEqualTo("hospital-c");
      assertThat(dropout.path("phase").asText()).isEqualTo("advertise");
      same(
          "analysis " + i,
          inProcess.path("analyses").get(i).path("outcome"),
          answer.path("outcome"));
    }
    assertThat(viaHub.path("receipt").path("parameters").path("secagg.0").asText())
        .startsWith("threshold 2, rounds 1, summed hospital-a hospital-b, dropped hospital-c at")
        .contains("advertise of round 0 (disclosure.");
  }

  @Test
  void overHttpTheSecurelyAggregatedStudyEqualsTheInProcessRun() throws Exception {
    study = tmp.resolve("study.json");
    JsonNode viaHub = runViaHub(Optional.empty());
    JsonNode result = viaHub.path("result");
    assertThat(result.path("analyses")).hasSize(3);
    for (JsonNode answer : result.path("analyses")) {
      assertThat(names(answer.path("contributors"))).containsExactlyElementsOf(NODES);
      assertThat(answer.path("issues")).as(answer.toString()).isEmpty();
      JsonNode sa = answer.path("secureAggregation");
      assertThat(sa.path("threshold").asInt()).as(answer.toString()).isEqualTo(2);
      assertThat(names(sa.path("contributors"))).containsExactlyElementsOf(NODES);
    }
    assertThat(result.path("analyses").get(2).path("secureAggregation").path("rounds").asInt())
        .as("every IRLS round of the GLM was a secure round")
        .isGreaterThan(2);
    assertThat(viaHub.path("report").asText()).contains("securely aggregated: threshold 2");
    assertThat(viaHub.path("receipt").path("parameters").path("secagg.0").asText())
        .isEqualTo("threshold 2, rounds 1, summed hospital-a hospital-b hospital-c");

    JsonNode inProcess = inProcess(NODES);
    for (int i = 0; i < inProcess.path("analyses").size(); i++) {
      JsonNode e = inProcess.path("analyses").get(i);
      JsonNode g = result.path("analyses").get(i);
      assertThat(g.path("outcome").path("type").asText())
          .as("analysis %d", i)
          .isNotEqualTo("notComputed");
      same("analysis " + i, e.path("outcome"), g.path("outcome"));
      assertThat(e.path("secureAggregation").path("rounds"))
          .isEqualTo(g.path("secureAggregation").path("rounds"));
    }
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

  private StudyRunCommandTest.Run client(Path credential, String... args) {
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
    StudyRunCommandTest.Run r = salus(all.toArray(String[]::new));
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err() + log).isZero();
    return r;
  }

  private JsonNode waitFor(Path researcher, String hub, Duration limit) throws Exception {
    Instant until = Instant.now().plus(limit);
    JsonNode status;
    do {
      Thread.sleep(200);
      status =
          JSON.readTree(
              client(researcher, "study", "status", "secure-diabetes", "--hub", hub).out());
    } while (!List.of("completed", "failed").contains(status.path("state").asText())
        && Instant.now().isBefore(until));
    return status;
  }

  /** Integers and text exactly, doubles to 1e-12 relative (the database's summing order). */
  private static void same(String where, JsonNode expected, JsonNode got) {
    if (expected.isObject()) {
      List<String> e = new ArrayList<>();
      expected.fieldNames().forEachRemaining(e::add);
      List<String> g = new ArrayList<>();
      got.fieldNames().forEachRemaining(g::add);
      assertThat(g).as(where).isEqualTo(e);
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

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
