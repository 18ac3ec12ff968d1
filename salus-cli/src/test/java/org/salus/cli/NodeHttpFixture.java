package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salus.cli.FederationSteps.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;

/**
 * A Danish node holding ingested Synthea patients, started over mutual TLS with a gateway's client;
 * a patient credential from a Danish hospital and clinician credentials from a Spanish register.
 * The record-route tests (consent, summary, write-back, access history) share it.
 */
abstract class NodeHttpFixture {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String DK_STATUS = "https://dk.example/status/1";
  static final String ES_STATUS = "https://es.example/status/1";

  @TempDir Path tmp;

  Path fed;
  Path nodeDir;
  Path gw;
  String patientRef;
  int observations;
  int conditions;
  int allergies;
  int medications;

  @BeforeEach
  void federation() throws Exception {
    fed = tmp.resolve("fed");
    nodeDir = tmp.resolve("node-dk");
    gw = tmp.resolve("gateway");
    ok("federation", "init", "--dir", fed.toString(), "--id", "eu-health");
    ok("node", "init", "--dir", nodeDir.toString());
    choosePatient();
    List<String> ingest = new ArrayList<>(List.of("ingest", "--dir", nodeDir.toString()));
    TestPopulation.files().forEach(f -> ingest.add(f.toString()));
    ok(ingest.toArray(String[]::new));
    ok("node", "join", "--dir", nodeDir.toString(), "--node-id", "node-dk");
    ok("federation", "node-keys", "--out", gw.toString(), "--node-id", "gateway");
    addNode(nodeDir.resolve(NodeFederation.DIR), "node-dk");
    addNode(gw, "gateway");
    addIssuer("dk-hospital", "hospital", "DK", DK_STATUS);
    addIssuer("es-register", "professional_register", "ES", ES_STATUS);
    handOver();
  }

  long ledgerEntries() throws Exception {
    return rows("ledger_entry");
  }

  /** The row count of one of the node's tables, read while the node is stopped. */
  long rows(String table) throws Exception {
    try (Node node = NodeDirectory.open(nodeDir);
        java.sql.Connection c = node.store().database().connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  static Instant daysFromNow(int days) {
    return Instant.now().plus(days, ChronoUnit.DAYS);
  }

  String search(String type) {
    return "/fhir/" + type + "?patient=" + patientRef;
  }

  /** Results (Observations) for clinicians credentialed in Spain, from start until end. */
  String grantConsent(Instant start, Instant end) {
    return grantConsent(
        start,
        end,
        actor(
            "https://salus.example.org/fhir/CodeSystem/requester-role",
            "clinician",
            "urn:iso:std:iso:3166",
            "ES"));
  }

  /** A Consent.provision.actor: role (system, code) and reference.identifier (system, value). */
  static String actor(String roleSystem, String role, String idSystem, String id) {
    return """
        {"role": {"coding": [{"system": "%s", "code": "%s"}]},
         "reference": {"identifier": {"system": "%s", "value": "%s"}}}"""
        .formatted(roleSystem, role, idSystem, id);
  }

  String grantConsent(Instant start, Instant end, String actor) {
    return grantConsent(start, end, actor, "results");
  }

  /** A TREAT grant to {@code actor} of the given data classes (codes), from start until end. */
  String grantConsent(Instant start, Instant end, String actor, String... classes) {
    return """
        {"resourceType": "Consent", "status": "active",
         "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                               "code": "patient-privacy"}]},
         "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
         "patient": {"reference": "PATIENT"},
         "provision": {"provision": [
           {"id": "grant-es",
            "actor": [ACTOR],
            "purpose": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                         "code": "TREAT"}],
            "period": {"start": "START", "end": "END"},
            "provision": [
              {"id": "grant-es-read", "type": "permit",
               "action": [{"coding": [{"system":
                   "http://terminology.hl7.org/CodeSystem/consentaction", "code": "access"}]}],
               "class": [CLASSES]}]}]}}
        """
        .replace("ACTOR", actor)
        .replace(
            "CLASSES",
            String.join(
                ", ",
                java.util.Arrays.stream(classes)
                    .map(
                        c ->
                            "{\"system\": \"https://salus.example.org/fhir/CodeSystem/data-class\","
                                + " \"code\": \""
                                + c
                                + "\"}")
                    .toList()))
        .replace("PATIENT", patientRef)
        .replace("START", start.truncatedTo(ChronoUnit.SECONDS).toString())
        .replace("END", end.truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The population's patient with the most Observations, and its resource counts. */
  void choosePatient() throws Exception {
    for (Path f : TestPopulation.files()) {
      String id = "";
      int obs = 0;
      int cond = 0;
      int allergy = 0;
      int meds = 0;
      for (JsonNode e : JSON.readTree(f.toFile()).get("entry")) {
        JsonNode r = e.get("resource");
        switch (r.get("resourceType").asText()) {
          case "Patient" -> id = r.get("id").asText();
          case "Observation" -> obs++;
          case "Condition" -> cond++;
          case "AllergyIntolerance" -> allergy++;
          case "MedicationRequest", "MedicationStatement" -> meds++;
          default -> {}
        }
      }
      if (cond > 0 && obs > observations) {
        patientRef = "Patient/" + id;
        observations = obs;
        conditions = cond;
        allergies = allergy;
        medications = meds;
      }
    }
    assertThat(patientRef).as("a test patient with conditions").isNotNull();
  }

  /** The node and a gateway's client to it, with five credentials issued. */
  final class Running implements AutoCloseable {
    final NodeRecords records;
    final TrustedNode node;
    final PeerClient client;

    final Optional<NodeLedgerService> ledger;

    Running() throws Exception {
      this(false);
    }

    /** With {@code sharedLedger}, wired as {@code salus node start} does: one ledger service. */
    Running(boolean sharedLedger) throws Exception {
      this(sharedLedger, Clock.systemUTC());
    }

    /** As above, the records (consent decisions, break-glass windows) reading {@code clock}. */
    Running(boolean sharedLedger, Clock recordsClock) throws Exception {
      NodeFederation.Start start = NodeFederation.load(nodeDir);
      if (sharedLedger) {
        NodeConsents consents = NodeConsents.open(nodeDir);
        NodeLedgerService service =
            new NodeLedgerService(consents.node(), "node-dk", Clock.systemUTC(), line -> {});
        ledger = Optional.of(service);
        records = NodeRecords.open(consents, "node-dk", recordsClock, service.ledger());
      } else {
        ledger = Optional.empty();
        records = NodeRecords.open(nodeDir, "node-dk", recordsClock);
      }
      node =
          NodeFederation.start(
              start,
              new ServerSettings("localhost", 0),
              Clock.systemUTC(),
              org.salus.server.http.NodeServices.none()
                  .withRecords(records)
                  .withLedger(
                      ledger
                          .<org.salus.server.ledger.LedgerPort>map(l -> l)
                          .orElse(org.salus.server.ledger.LedgerPort.none())));
      node.statusLists().refresh(Files.readString(tmp.resolve("dk-hospital-status.jwt")));
      node.statusLists().refresh(Files.readString(tmp.resolve("es-register-status.jwt")));
      client = gatewayClient();
    }

    URI uri(String path) {
      return URI.create("https://localhost:" + node.port() + path);
    }

    HttpResponse<String> get(String path, String token) throws Exception {
      return client.get(uri(path), Optional.of(token));
    }

    HttpResponse<String> get(String path, String token, Map<String, String> headers)
        throws Exception {
      return client.get(uri(path), Optional.of(token), headers);
    }

    JsonNode json(HttpResponse<String> r, int status) throws Exception {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
      return JSON.readTree(r.body());
    }

    String login(String who, String reveal) throws Exception {
      String nonce =
          json(client.post(uri("/login/nonce"), "text/plain", "", Optional.empty()), 200)
              .get("nonce")
              .asText();
      ok(
          "credential",
          "present",
          "--credential",
          tmp.resolve(who + ".sdjwt").toString(),
          "--holder-key",
          tmp.resolve("holder.jwk").toString(),
          "--reveal",
          reveal,
          "--nonce",
          nonce,
          "--audience",
          "node-dk",
          "--out",
          tmp.resolve(who + ".vp").toString());
      HttpResponse<String> r =
          client.post(
              uri("/login"),
              "text/plain",
              Files.readString(tmp.resolve(who + ".vp")),
              Optional.empty());
      return json(r, 200).get("access_token").asText();
    }

    @Override
    public void close() {
      node.close();
      ledger.ifPresent(NodeLedgerService::close);
      records.close();
    }
  }

  Running start() throws Exception {
    return start(false);
  }

  Running start(boolean sharedLedger) throws Exception {
    return start(sharedLedger, Clock.systemUTC());
  }

  /**
   * Issues the patient, clinician, emergency clinician and steward credentials and starts the node,
   * its records reading {@code recordsClock}.
   */
  Running start(boolean sharedLedger, Clock recordsClock) throws Exception {
    ok("credential", "keys", "--out", tmp.resolve("holder.jwk").toString(), "--kid", "h");
    issue(
        "dk-hospital",
        DK_STATUS,
        1,
        "patient",
        "patient",
        "home_node=node-dk",
        "record_ref=" + patientRef);
    String[] clinician = {"profession=physician", "licence_number=ES-28-1", "country=ES"};
    issue("es-register", ES_STATUS, 2, "clinician", "clinician", clinician);
    issue(
        "es-register",
        ES_STATUS,
        3,
        "clinician",
        "emergency",
        "profession=physician",
        "licence_number=ES-28-2",
        "country=ES",
        "clinical_role=emergency-clinician");
    issue("dk-hospital", DK_STATUS, 4, "steward", "steward", "node=node-dk");
    return new Running(sharedLedger, recordsClock);
  }

  void issue(String issuer, String status, int index, String role, String who, String... claims) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "credential",
                "issue",
                "--issuer-id",
                issuer,
                "--issuer-key",
                tmp.resolve(issuer + ".jwk").toString(),
                "--status-url",
                status,
                "--status-index",
                Integer.toString(index),
                "--role",
                role,
                "--subject",
                who + "-1",
                "--holder-key",
                tmp.resolve("holder.pub.jwk").toString(),
                "--out",
                tmp.resolve(who + ".sdjwt").toString()));
    for (String c : claims) {
      args.add("--claim");
      args.add(c);
    }
    ok(args.toArray(String[]::new));
  }

  void addIssuer(String id, String kind, String country, String statusUrl) {
    Path key = tmp.resolve(id + ".jwk");
    ok("credential", "keys", "--out", key.toString(), "--kid", id);
    ok(
        "federation",
        "add-issuer",
        "--dir",
        fed.toString(),
        "--issuer-id",
        id,
        "--name",
        id,
        "--kind",
        kind,
        "--country",
        country,
        "--key",
        tmp.resolve(id + ".pub.jwk").toString(),
        "--status-url",
        statusUrl,
        "--accepted-by",
        "node-dk");
    ok(
        "credential",
        "status-list",
        "--issuer-key",
        key.toString(),
        "--status-url",
        statusUrl,
        "--out",
        tmp.resolve(id + "-status.jwt").toString());
  }

  void handOver() throws Exception {
    FederationSteps.handOver(fed, nodeDir, "node-dk");
  }

  void addNode(Path keys, String id) {
    FederationSteps.addNode(fed, keys, id, "DK");
  }

  PeerClient gatewayClient() throws Exception {
    return FederationSteps.gatewayClient(fed, gw);
  }
}
