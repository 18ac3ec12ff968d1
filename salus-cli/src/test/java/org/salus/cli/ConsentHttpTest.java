package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.server.http.NodeRoutes;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.FederationDirectory;
import org.salus.server.trust.NodeKeyFiles;
import org.salus.server.trust.NodeTls;
import org.salus.server.trust.Pem;
import org.salus.server.trust.TrustListHolder;
import org.salus.server.trust.TrustListVerifier;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;

/**
 * The consent routes end to end over mutual TLS (docs/consent.md, "Over HTTP"): a Danish node holds
 * an ingested Synthea patient; the patient (credential from a Danish hospital) manages consent; a
 * clinician credentialed by a Spanish register searches Observations and Conditions and sees only
 * what the patient granted; revocation works on the next request; break-glass is narrow.
 */
class ConsentHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DK_STATUS = "https://dk.example/status/1";
  private static final String ES_STATUS = "https://es.example/status/1";

  @TempDir Path tmp;

  private Path fed;
  private Path nodeDir;
  private Path gw;
  private String patientRef;
  private int observations;
  private int conditions;

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

  @Test
  void aPatientGrantsASpanishClinicianResultsAndRevokesEverything() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");

      JsonNode none = n.json(n.get("/patient/consent", patient), 200);
      assertThat(none.get("version").asInt()).isZero();
      assertThat(none.get("statements")).isNotEmpty();

      JsonNode before = n.json(n.get(search("Observation"), clinician), 200);
      assertThat(before.get("type").asText()).isEqualTo("searchset");
      assertThat(before.get("entry")).isEmpty();
      assertThat(before.has("total")).as("no total counts hidden records").isFalse();

      HttpResponse<String> posted =
          n.client.post(
              n.uri("/patient/consent"),
              "application/fhir+json",
              grantConsent(daysFromNow(-1), daysFromNow(10)),
              Optional.of(patient));
      JsonNode v1 = n.json(posted, 201);
      assertThat(v1.get("version").asInt()).isEqualTo(1);
      JsonNode shown = n.json(n.get("/patient/consent", patient), 200);
      assertThat(shown.get("snapshot").asText()).isEqualTo(v1.get("snapshot").asText());
      assertThat(shown.get("statements").toString()).contains("ES");

      JsonNode granted = n.json(n.get(search("Observation"), clinician), 200);
      assertThat(granted.get("entry")).hasSize(observations);
      assertThat(granted.get("entry").get(0).get("resource").get("resourceType").asText())
          .isEqualTo("Observation");
      assertThat(n.json(n.get(search("Condition"), clinician), 200).get("entry"))
          .as("the grant covers results, not problems")
          .isEmpty();

      JsonNode revoked =
          n.json(
              n.client.post(
                  n.uri("/patient/consent/revoke-all"), "text/plain", "", Optional.of(patient)),
              201);
      assertThat(revoked.get("version").asInt()).isEqualTo(2);
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry")).isEmpty();

      // Roles: a clinician cannot manage consent, a patient cannot search.
      assertThat(n.get("/patient/consent", clinician).statusCode()).isEqualTo(403);
      assertThat(n.get(search("Observation"), patient).statusCode()).isEqualTo(403);
    }
    // Two consent versions and four searches, each an entry in the node's ledger.
    assertThat(ledgerEntries()).isEqualTo(6);
  }

  @Test
  void aGrantByLicenceAndIssuerMatchesOnlyThatLicence() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      String other = n.login("emergency", "profession,country,licence_number,clinical_role");
      String byLicence =
          grantConsent(
              daysFromNow(-1),
              daysFromNow(10),
              actor(
                  "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                  "IRCP",
                  "es-register",
                  "ES-28-1"));
      assertThat(byLicence).contains("IRCP").contains("ES-28-1");
      n.json(
          n.client.post(
              n.uri("/patient/consent"), "application/fhir+json", byLicence, Optional.of(patient)),
          201);
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry"))
          .hasSize(observations);
      assertThat(n.json(n.get(search("Observation"), other), 200).get("entry"))
          .as("another licence from the same register")
          .isEmpty();
    }
  }

  @Test
  void anExpiredGrantStopsWorking() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      n.json(
          n.client.post(
              n.uri("/patient/consent"),
              "application/fhir+json",
              grantConsent(daysFromNow(-20), daysFromNow(-10)),
              Optional.of(patient)),
          201);
      assertThat(n.json(n.get(search("Observation"), clinician), 200).get("entry")).isEmpty();
    }
  }

  @Test
  void anInvalidConsentIsRefusedWithAnOperationOutcomeNamingTheElement() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String bad = grantConsent(daysFromNow(0), daysFromNow(-5)); // ends before it starts
      HttpResponse<String> r =
          n.client.post(
              n.uri("/patient/consent"), "application/fhir+json", bad, Optional.of(patient));
      JsonNode outcome = n.json(r, 400);
      assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
      assertThat(outcome.get("issue").get(0).get("expression").get(0).asText())
          .isEqualTo("Consent.provision.provision[0].period");

      String other =
          grantConsent(daysFromNow(-1), daysFromNow(10)).replace(patientRef, "Patient/someone");
      JsonNode forbidden =
          n.json(
              n.client.post(
                  n.uri("/patient/consent"), "application/fhir+json", other, Optional.of(patient)),
              403);
      assertThat(forbidden.get("issue").get(0).get("expression").get(0).asText())
          .isEqualTo("Consent.patient");
      assertThat(n.json(n.get("/patient/consent", patient), 200).get("version").asInt())
          .as("nothing was recorded")
          .isZero();
    }
  }

  @Test
  void breakGlassNeedsTheEmergencyRoleAndAReasonAndRevealsOnlyTheEmergencyClasses()
      throws Exception {
    try (Running n = start()) {
      String clinician = n.login("clinician", "profession,country,licence_number");
      String emergency = n.login("emergency", "profession,country,licence_number,clinical_role");
      Map<String, String> reason = Map.of(NodeRoutes.EMERGENCY_REASON, "unconscious in A&E");
      String etreat = "&purpose=ETREAT";

      assertThat(n.get(search("Condition") + etreat, clinician, reason).statusCode())
          .isEqualTo(403);
      assertThat(n.get(search("Condition") + etreat, emergency, Map.of()).statusCode())
          .as("no reason stated")
          .isEqualTo(400);
      assertThat(n.json(n.get(search("Condition") + etreat, emergency, reason), 200).get("entry"))
          .hasSize(conditions);
      assertThat(n.json(n.get(search("Observation") + etreat, emergency, reason), 200).get("entry"))
          .as("results are not among the emergency classes")
          .isEmpty();
      assertThat(n.json(n.get(search("Condition"), emergency), 200).get("entry"))
          .as("without ETREAT the consent decides")
          .isEmpty();
    }
    // Two break-glass openings and three searches (the refused ones left no entry).
    assertThat(ledgerEntries()).isEqualTo(5);
  }

  private long ledgerEntries() throws Exception {
    try (Node node = NodeDirectory.open(nodeDir);
        java.sql.Connection c = node.store().database().connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM ledger_entry")) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  private static Instant daysFromNow(int days) {
    return Instant.now().plus(days, ChronoUnit.DAYS);
  }

  private String search(String type) {
    return "/fhir/" + type + "?patient=" + patientRef;
  }

  /** Results (Observations) for clinicians credentialed in Spain, from start until end. */
  private String grantConsent(Instant start, Instant end) {
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
  private static String actor(String roleSystem, String role, String idSystem, String id) {
    return """
        {"role": {"coding": [{"system": "%s", "code": "%s"}]},
         "reference": {"identifier": {"system": "%s", "value": "%s"}}}"""
        .formatted(roleSystem, role, idSystem, id);
  }

  private String grantConsent(Instant start, Instant end, String actor) {
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
               "class": [{"system": "https://salus.example.org/fhir/CodeSystem/data-class",
                          "code": "results"}]}]}]}}
        """
        .replace("ACTOR", actor)
        .replace("PATIENT", patientRef)
        .replace("START", start.truncatedTo(ChronoUnit.SECONDS).toString())
        .replace("END", end.truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The population's patient with the most Observations, and its resource counts. */
  private void choosePatient() throws Exception {
    for (Path f : TestPopulation.files()) {
      String id = "";
      int obs = 0;
      int cond = 0;
      for (JsonNode e : JSON.readTree(f.toFile()).get("entry")) {
        JsonNode r = e.get("resource");
        switch (r.get("resourceType").asText()) {
          case "Patient" -> id = r.get("id").asText();
          case "Observation" -> obs++;
          case "Condition" -> cond++;
          default -> {}
        }
      }
      if (cond > 0 && obs > observations) {
        patientRef = "Patient/" + id;
        observations = obs;
        conditions = cond;
      }
    }
    assertThat(patientRef).as("a test patient with conditions").isNotNull();
  }

  /** The node and a gateway's client to it, with four credentials issued. */
  private final class Running implements AutoCloseable {
    final NodeRecords records;
    final TrustedNode node;
    final PeerClient client;

    Running() throws Exception {
      NodeFederation.Start start = NodeFederation.load(nodeDir);
      records = NodeRecords.open(nodeDir, "node-dk", Clock.systemUTC());
      node =
          NodeFederation.start(
              start,
              new ServerSettings("localhost", 0),
              Clock.systemUTC(),
              records,
              org.salus.server.ledger.LedgerPort.none());
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
      records.close();
    }
  }

  private Running start() throws Exception {
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
    return new Running();
  }

  private void issue(
      String issuer, String status, int index, String role, String who, String... claims) {
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

  private void addIssuer(String id, String kind, String country, String statusUrl) {
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

  private void handOver() throws Exception {
    Path to = nodeDir.resolve(NodeFederation.DIR);
    for (String f :
        List.of(
            FederationDirectory.TRUST_LIST,
            FederationDirectory.OPERATOR_PUBLIC_KEY,
            FederationDirectory.CA_CERT)) {
      Files.copy(fed.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.copy(
        fed.resolve("nodes/node-dk/tls.pem"),
        to.resolve(NodeFederation.TLS_CERT),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private void addNode(Path keys, String id) {
    ok(
        "federation",
        "add-node",
        "--dir",
        fed.toString(),
        "--node-id",
        id,
        "--name",
        "Node " + id,
        "--country",
        "DK",
        "--url",
        "https://localhost:8443",
        "--signing-key",
        keys.resolve(NodeKeyFiles.SIGNING_PUBLIC).toString(),
        "--x25519-key",
        keys.resolve(NodeKeyFiles.AGREEMENT_PUBLIC).toString(),
        "--tls-key",
        keys.resolve(NodeKeyFiles.TLS_PUBLIC).toString());
  }

  private PeerClient gatewayClient() throws Exception {
    TrustListHolder trust =
        TrustListHolder.load(
            new TrustListVerifier(
                Ed25519Keys.parse(
                    Files.readString(fed.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY)),
                    Curve.Ed25519,
                    "operator")),
            Files.readString(fed.resolve(FederationDirectory.TRUST_LIST)),
            Clock.systemUTC());
    return new PeerClient(
        NodeTls.create(
            Pem.parseCertificate(Files.readString(fed.resolve(FederationDirectory.CA_CERT))),
            Pem.parseCertificate(Files.readString(fed.resolve("nodes/gateway/tls.pem"))),
            Pem.parseEcPrivateKey(Files.readString(gw.resolve(NodeKeyFiles.TLS_KEY))),
            trust));
  }

  private static void ok(String... args) {
    assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
  }
}
