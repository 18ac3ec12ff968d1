package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salus.cli.FederationSteps.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.trust.Role;
import org.salus.core.trust.RouteAccess;
import org.salus.core.trust.RouteDeclaration;
import org.salus.server.http.NodeRoutes;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;

/**
 * Walks {@link NodeRoutes#TABLE} against a node wired as {@code salus node start --hub} wires it:
 * Synthea patients ingested, records, ledger, studies and the hub behind the ports. For every
 * restricted route and every role it allows, a credential of that role gets past the guard (no 401
 * or 403) and the service answers (no 503): the domain's own answer, such as 404 for an unknown
 * study or 400 for a missing parameter, which is asserted exactly where this test knows it. Peer
 * routes, called with a listed node's certificate, are answered by their services too. The walk
 * reads the table, so a new route is covered without editing this test. (The refusals — no token,
 * expired, wrong audience, wrong role, revoked, tampered, alg none, replayed nonce — are walked by
 * salus-server's RouteTableTest.)
 */
class WiredRouteTableTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "hospital-a";

  /** A route's answer to this test's request: the status and a piece of the body. */
  private record Answer(int status, String bodyHas) {}

  /**
   * What each route answers the request this test sends: path parameters {@code x} (an unknown id),
   * no query parameters, a body of {@code {}}. A route missing here (a new one) must still not
   * answer 401, 403 or any 5xx.
   */
  private static final Map<String, Answer> EXPECTED =
      Map.ofEntries(
          Map.entry("GET /trust-list", new Answer(200, ".")),
          Map.entry("GET /me", new Answer(200, "\"scopes\"")),
          Map.entry("GET /admin/whoami", new Answer(200, "\"node\":\"" + NODE + "\"")),
          Map.entry("GET /patient/consent", new Answer(200, "\"snapshot\"")),
          Map.entry("POST /patient/consent", new Answer(400, "not a FHIR R4 Consent")),
          Map.entry("POST /patient/consent/revoke-all", new Answer(201, "\"snapshot\"")),
          Map.entry("GET /fhir/Observation", new Answer(400, "a search names the patient")),
          Map.entry("GET /fhir/Condition", new Answer(400, "a search names the patient")),
          Map.entry("GET /fhir/AllergyIntolerance", new Answer(400, "a search names the patient")),
          Map.entry("GET /fhir/MedicationStatement", new Answer(400, "a search names the patient")),
          Map.entry("GET /fhir/Patient/{id}/$summary", new Answer(200, "\"type\":\"document\"")),
          Map.entry("POST /fhir/Observation", new Answer(400, "not a FHIR R4 Observation")),
          Map.entry("GET /patient/observations", new Answer(200, "\"searchset\"")),
          Map.entry("GET /ledger/checkpoints", new Answer(200, "\"checkpoints\"")),
          Map.entry("GET /ledger/consistency", new Answer(200, "\"hashes\"")),
          Map.entry("GET /ledger/entries", new Answer(200, "\"treeSize\"")),
          Map.entry("GET /ledger/mine", new Answer(200, "\"events\"")),
          Map.entry("GET /patient/access-history", new Answer(200, "\"events\"")),
          Map.entry("POST /clinician/break-glass/end", new Answer(400, "name the patient")),
          Map.entry("GET /steward/break-glass", new Answer(200, "\"breakGlass\"")),
          Map.entry("GET /steward/studies", new Answer(200, "\"node\":\"" + NODE + "\"")),
          Map.entry(
              "POST /steward/studies/{id}/approve", new Answer(404, "study.proposal.unknown")),
          Map.entry("POST /steward/studies/{id}/reject", new Answer(400, "study.decision.reason")),
          Map.entry("POST /hub/studies", new Answer(400, "study.invalid")),
          Map.entry("GET /hub/studies", new Answer(200, "\"studies\"")),
          Map.entry("GET /hub/studies/{id}", new Answer(404, "study.unknown")),
          Map.entry("GET /hub/studies/{id}/results", new Answer(404, "study.unknown")),
          Map.entry("POST /witness/add-checkpoint", new Answer(400, "ledger.witness.malformed")),
          Map.entry("POST /witness/key-rotation", new Answer(400, "ledger.witness.malformed")),
          Map.entry("POST /studies/proposals", new Answer(400, "message.invalid")),
          Map.entry("GET /studies/{id}/decision", new Answer(404, "study.proposal.unknown")),
          Map.entry("POST /studies/{id}/join", new Answer(404, "study.proposal.unknown")),
          Map.entry("POST /studies/{id}/step", new Answer(409, "study.session.none")),
          Map.entry("POST /studies/{id}/secagg/open", new Answer(409, "study.session.none")),
          Map.entry("POST /studies/{id}/secagg/share-keys", new Answer(409, "study.session.none")),
          Map.entry(
              "POST /studies/{id}/secagg/masked-input", new Answer(409, "study.session.none")),
          Map.entry("POST /studies/{id}/secagg/unmask", new Answer(409, "study.session.none")),
          Map.entry("POST /studies/{id}/leave", new Answer(404, "study.proposal.unknown")));

  @TempDir static Path tmp;

  private static LocalFederation fed;
  private static Path dir;
  private static String patientRef;
  private static RunningNode node;
  private static PeerClient client;
  private static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);

  @BeforeAll
  static void startWiredNode() throws Exception {
    dir = tmp.resolve(NODE);
    ok("node", "init", "--dir", dir.toString(), "--name", NODE);
    List<String> ingest = new ArrayList<>(List.of("ingest", "--dir", dir.toString()));
    TestPopulation.files().forEach(f -> ingest.add(f.toString()));
    ok(ingest.toArray(String[]::new));
    patientRef = firstPatient();
    ReservedPort port = ReservedPort.take();
    fed =
        LocalFederation.create(
            tmp.resolve("fed"),
            "eu-health",
            List.of(new LocalFederation.Member(NODE, dir, port.port(), "NL")));
    port.close();
    node =
        RunningNode.start(
            dir,
            new ServerSettings("localhost", port.port()),
            Optional.of(new RunningNode.HubSettings(Duration.ofSeconds(5), Duration.ofMillis(100))),
            Duration.ofHours(1),
            line -> {});
    node.node().statusLists().refresh(fed.statusList());
    client = new PeerClient(node.node().tls());
    NodeLogin login = new NodeLogin(client, node.node().port(), NODE, fed.holderKey());
    int index = 1;
    for (Role role : Role.values()) {
      TOKENS.put(role, login.token(credential(role, index++), role));
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyRestrictedRouteAnswersTheRightCredentialFromItsService() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    int calls = 0;
    for (RouteDeclaration route : NodeRoutes.TABLE.declarations()) {
      if (route.access() instanceof RouteAccess.Restricted access) {
        for (Role role : access.roles()) {
          calls++;
          HttpResponse<String> r = call(route, Optional.of(TOKENS.get(role)));
          expectServed(soft, route, route.key() + " as " + role, r);
        }
      }
    }
    assertThat(calls).as("restricted route and role pairs walked").isGreaterThan(30);
    soft.assertAll();
  }

  @Test
  void everyPeerRouteIsAnsweredByItsServiceForAListedNode() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    int peers = 0;
    for (RouteDeclaration route : NodeRoutes.TABLE.declarations()) {
      if (route.access() instanceof RouteAccess.PeerNode) {
        peers++;
        HttpResponse<String> r = call(route, Optional.empty());
        expectServed(soft, route, route.key() + " from a listed node", r);
      }
    }
    assertThat(peers).as("peer routes walked").isPositive();
    soft.assertAll();
  }

  @Test
  void everyExpectedAnswerNamesARouteOfTheTable() {
    Set<String> keys = new HashSet<>();
    NodeRoutes.TABLE.declarations().forEach(d -> keys.add(d.key()));
    assertThat(keys).containsAll(EXPECTED.keySet());
  }

  /** Past the guard and answered by the service: never 401, 403 or 5xx; exactly as expected. */
  private static void expectServed(
      SoftAssertions soft, RouteDeclaration route, String call, HttpResponse<String> r) {
    String what = call + ": " + r.body();
    soft.assertThat(r.statusCode()).as(what).isNotIn(401, 403, 503).isLessThan(500);
    Answer expected = EXPECTED.get(route.key());
    if (expected != null) {
      soft.assertThat(r.statusCode()).as(what).isEqualTo(expected.status());
      soft.assertThat(r.body()).as(call).contains(expected.bodyHas());
    }
  }

  private static HttpResponse<String> call(RouteDeclaration route, Optional<String> token)
      throws Exception {
    URI url = uri(route.path().replaceAll("\\{[^}]+}", "x"));
    return route.method().equals("GET")
        ? client.get(url, token)
        : client.post(url, "application/json", "{}", token);
  }

  private static URI uri(String path) {
    return URI.create("https://localhost:" + node.node().port() + path);
  }

  /** A credential of {@code role} with the claims this node's services look at. */
  private static Path credential(Role role, int index) {
    return switch (role) {
      case PATIENT ->
          fed.credential(
              "patient", "patient-1", index, "home_node=" + NODE, "record_ref=" + patientRef);
      case CLINICIAN ->
          fed.credential(
              "clinician",
              "clinician-1",
              index,
              "profession=physician",
              "licence_number=NL-1",
              "country=NL");
      case RESEARCHER -> fed.credential("researcher", "researcher-1", index, "institution=Erasmus");
      case STEWARD -> fed.credential("steward", "steward-1", index, "node=" + NODE);
      case AUDITOR -> fed.credential("auditor", "auditor-1", index, "organisation=DPA");
    };
  }

  private static String firstPatient() throws Exception {
    for (Path f : TestPopulation.files()) {
      for (JsonNode e : JSON.readTree(f.toFile()).get("entry")) {
        JsonNode r = e.get("resource");
        if (r.get("resourceType").asText().equals("Patient")) {
          return "Patient/" + r.get("id").asText();
        }
      }
    }
    throw new AssertionError("the test population has no patient");
  }
}
