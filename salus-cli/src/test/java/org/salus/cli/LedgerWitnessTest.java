package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salus.cli.FederationSteps.handOver;
import static org.salus.cli.FederationSteps.listIssuer;
import static org.salus.cli.FederationSteps.ok;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.event.SubjectId;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.ProofVerifier;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;
import org.salus.core.ledger.proof.VerifiedEntry;
import org.salus.core.ledger.witness.AddCheckpointRequest;
import org.salus.core.ledger.witness.WitnessOutcome;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Person;
import org.salus.core.record.Sex;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import org.salus.server.trust.FederationDirectory;
import org.salus.server.trust.NodeKeyFiles;
import org.salus.store.ledger.SubjectSaltStore;
import org.salus.store.ledger.VerifyReport;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeLedger;

/**
 * Two nodes started in-process witness each other over mutual TLS: node A appends and publishes, B
 * cosigns, A's verify counts the cosignatures; a forged second history of A shown to B is a fork
 * (refused, evidence kept, visible in B's verify); an auditor of A gets a consistency proof that
 * verifies.
 */
class LedgerWitnessTest {

  private static final String STATUS_URL = "https://big.example/status/1";

  @TempDir Path tmp;

  private final List<String> logA = Collections.synchronizedList(new ArrayList<>());
  private final List<String> logB = Collections.synchronizedList(new ArrayList<>());

  @Test
  void aPublishesBCosignsAForkIsCaughtAndAnAuditorGetsAProof() throws Exception {
    Path fed = tmp.resolve("fed");
    Path dirA = tmp.resolve("node-a");
    Path dirB = tmp.resolve("node-b");
    ok("federation", "init", "--dir", fed.toString(), "--id", "eu-health");
    int portA = freePort();
    int portB = freePort();
    join(fed, dirA, "node-a", portA);
    join(fed, dirB, "node-b", portB);
    listIssuer(fed, tmp, STATUS_URL);
    handOver(fed, dirA, "node-a");
    handOver(fed, dirB, "node-b");

    try (Node storeA = NodeDirectory.open(dirA);
        Node storeB = NodeDirectory.open(dirB);
        NodeLedgerService ledgerA =
            new NodeLedgerService(storeA, "node-a", Clock.systemUTC(), logA::add);
        NodeLedgerService ledgerB =
            new NodeLedgerService(storeB, "node-b", Clock.systemUTC(), logB::add);
        TrustedNode a = start(dirA, portA, ledgerA);
        TrustedNode b = start(dirB, portB, ledgerB);
        CheckpointPublisher publisher =
            new CheckpointPublisher(
                "node-a", ledgerA, a.trustList(), new PeerClient(a.tls()), logA::add)) {
      var witnessB = LedgerKeys.witnessKey(b.trustList().current().node("node-b").orElseThrow());

      assertThat(publisher.round()).as("nothing to publish yet").isZero();
      append(ledgerA, 0, 5);
      assertThat(publisher.round()).as("B cosigns size 5: " + logA).isEqualTo(1);
      append(ledgerA, 5, 8);
      assertThat(publisher.round()).as("B cosigns size 8 from 5: " + logA).isEqualTo(1);
      assertThat(publisher.round()).as("nothing changed: no new checkpoint").isZero();
      assertThat(ledgerA.checkpoints()).hasSize(2);

      VerifyReport report = ledgerA.ledger().verify(List.of(witnessB));
      assertThat(report.firstInconsistency()).isEmpty();
      assertThat(report.entries()).isEqualTo(8);
      assertThat(report.cosignatures()).as("A's verify counts B's cosignatures").isEqualTo(2);

      // Offline: a proof of entry 3, checked against the signed trust list (B is A's witness).
      Path proofFile = tmp.resolve("entry-3.proof");
      Files.writeString(proofFile, ledgerA.ledger().proof(3).encode());
      Path list = fed.resolve(FederationDirectory.TRUST_LIST);
      Path operator = fed.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY);
      String[] verifyProof = {
        "ledger",
        "verify-proof",
        proofFile.toString(),
        "--trust-list",
        list.toString(),
        "--operator-key",
        operator.toString(),
        "--quorum",
        "1"
      };
      ok(verifyProof);
      verifyProof[5] = tmp.resolve("issuer.pub.jwk").toString();
      assertThat(Main.run(verifyProof)).as("a list not signed by that operator").isNotZero();
      verifyProof[5] = operator.toString();
      verifyProof[7] = "2";
      assertThat(Main.run(verifyProof)).as("only one witness cosigned").isNotZero();

      // An auditor of A: the consistency proof between the two checkpoints verifies.
      PeerClient viaB = new PeerClient(b.tls());
      String baseA = "https://localhost:" + portA;
      statusList(a);
      String token = token(viaB, baseA, "auditor", 7, "organisation=Health Inspectorate");
      HttpResponse<String> cps =
          viaB.get(URI.create(baseA + "/ledger/checkpoints"), Optional.of(token));
      assertThat(cps.statusCode()).as(cps.body()).isEqualTo(200);
      List<?> notes = (List<?>) JSONObjectUtils.parse(cps.body()).get("checkpoints");
      Hash root5 = root(notes.get(0));
      Hash root8 = root(notes.get(1));
      HttpResponse<String> cons =
          viaB.get(URI.create(baseA + "/ledger/consistency?from=5&to=8"), Optional.of(token));
      assertThat(cons.statusCode()).as(cons.body()).isEqualTo(200);
      List<Hash> hashes = new ArrayList<>();
      for (Object h : (List<?>) JSONObjectUtils.parse(cons.body()).get("hashes")) {
        hashes.add(Hash.fromBase64((String) h));
      }
      ProofVerifier.verifyConsistency(new ConsistencyProof(5, 8, hashes), root5, root8);
      HttpResponse<String> page =
          viaB.get(URI.create(baseA + "/ledger/entries?start=2&end=4"), Optional.of(token));
      assertThat((List<?>) JSONObjectUtils.parse(page.body()).get("entries")).hasSize(2);

      // A patient of A sees their own event, with a proof that checks against A's key and B.
      storeA
          .store()
          .write(
              "patients",
              "ab".repeat(32),
              new IngestBatch(
                  List.of(
                      new Person(
                          storeA.pseudonymizer().recordKey("Patient/p1"),
                          "pk-1",
                          Sex.FEMALE,
                          LocalDate.of(1970, 1, 1),
                          BirthPrecision.YEAR)),
                  List.of(),
                  new TreeMap<>()));
      SubjectId subject;
      try (Connection c = storeA.store().database().connect()) {
        subject = new SubjectSaltStore(c, new SecureRandom()).saltFor("pk-1").subjectOf("pk-1");
      }
      long patientEntry =
          ledgerA.ledger().append(new LedgerEvent.RecordAccess(context(8, subject)));
      assertThat(publisher.round()).as("B cosigns size 9").isEqualTo(1);
      String patient =
          token(viaB, baseA, "patient", 8, "home_node=node-a", "record_ref=Patient/p1");
      HttpResponse<String> mine =
          viaB.get(URI.create(baseA + "/ledger/mine"), Optional.of(patient));
      assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
      List<?> events = (List<?>) JSONObjectUtils.parse(mine.body()).get("events");
      assertThat(events).hasSize(1);
      Map<?, ?> event = (Map<?, ?>) events.get(0);
      assertThat(((Number) event.get("index")).longValue()).isEqualTo(patientEntry);
      VerifiedEntry proven =
          ProofFile.parse((String) event.get("proof"))
              .verify(
                  new TrustPolicy(
                      LedgerKeys.logKey(a.trustList().current().node("node-a").orElseThrow()),
                      List.of(witnessB),
                      1));
      assertThat(proven.index()).isEqualTo(patientEntry);
      assertThat(viaB.get(URI.create(baseA + "/ledger/mine"), Optional.of(token)).statusCode())
          .as("an auditor is not a patient")
          .isEqualTo(403);

      // A forged second history of A, signed with A's key, shown to B over A's own TLS identity.
      SignedCheckpoint forged =
          SignedCheckpoint.sign(
              new Checkpoint("salus.node/node-a", 9, Hash.of(new byte[32])),
              NodeLedger.signer(storeA, "node-a"));
      PeerClient fromA = new PeerClient(a.tls());
      URI witness = URI.create("https://localhost:" + portB + CheckpointPublisher.PATH);
      HttpResponse<String> fork =
          fromA.post(
              witness,
              AddCheckpointRequest.CONTENT_TYPE,
              new AddCheckpointRequest(9, List.of(), forged).encode(),
              Optional.empty());
      assertThat(fork.statusCode()).as(fork.body()).isEqualTo(422);
      assertThat(logB).anySatisfy(l -> assertThat(l).contains("ALARM ledger fork"));
      assertThat(ledgerB.ledger().verify(List.of()).forksWitnessed())
          .singleElement()
          .asString()
          .contains("fork of salus.node/node-a");

      try (NodeLedgerService restartedB =
          new NodeLedgerService(storeB, "node-b", Clock.systemUTC(), logB::add)) {
        assertThat(
                restartedB.addCheckpoint(
                    b.trustList().current().node("node-a").orElseThrow(),
                    new AddCheckpointRequest(9, List.of(), ledgerA.publish(ledgerA.head()))))
            .as("a restarted witness still refuses the forked log")
            .isInstanceOf(WitnessOutcome.Fork.class);
      }

      // A checkpoint of another node's log, or one with a bad signature, is refused with 403.
      HttpResponse<String> notHers =
          new PeerClient(b.tls())
              .post(
                  URI.create("https://localhost:" + portA + CheckpointPublisher.PATH),
                  AddCheckpointRequest.CONTENT_TYPE,
                  new AddCheckpointRequest(0, List.of(), forged).encode(),
                  Optional.empty());
      assertThat(notHers.statusCode()).as(notHers.body()).isEqualTo(403);

      // After the fork B refuses even A's honest history; A logs and keeps appending.
      append(ledgerA, 9, 10);
      assertThat(publisher.round()).isZero();
      assertThat(logA).anySatisfy(l -> assertThat(l).contains("422"));
      assertThat(ledgerA.head().size()).isEqualTo(10);
    }

    // The command line, with the nodes stopped: witnesses come from the node's trust list.
    IngestEndToEndTest.Run verifyA =
        IngestEndToEndTest.salus(List.of("ledger", "verify", "--dir", dirA.toString(), "--json"));
    assertThat(verifyA.exit()).as(verifyA.err()).isZero();
    assertThat(verifyA.json().get("cosignatures").asInt())
        .as("B's cosignatures of sizes 5, 8 and 9")
        .isEqualTo(3);
    IngestEndToEndTest.Run verifyB =
        IngestEndToEndTest.salus(List.of("ledger", "verify", "--dir", dirB.toString(), "--json"));
    assertThat(verifyB.json().get("forksWitnessed").get(0).asText())
        .contains("fork of salus.node/node-a");
  }

  private static Hash root(Object note) {
    String text = (String) ((Map<?, ?>) note).get("note");
    return SignedCheckpoint.parse(text).checkpoint().root();
  }

  private static void append(NodeLedgerService ledger, int from, int to) {
    for (int i = from; i < to; i++) {
      assertThat(ledger.ledger().append(new LedgerEvent.RecordAccess(context(i, Optional.empty()))))
          .isEqualTo(i);
    }
  }

  private static EventContext context(int i, SubjectId subject) {
    return context(i, Optional.of(subject));
  }

  private static EventContext context(int i, Optional<SubjectId> subject) {
    return new EventContext(
        Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i),
        ActorId.ofCredential("credential-" + (i % 3)),
        subject,
        "TREAT",
        List.of("problems"),
        Optional.empty());
  }

  private static TrustedNode start(Path dir, int port, NodeLedgerService ledger)
      throws IOException {
    return NodeFederation.start(
        NodeFederation.load(dir),
        new ServerSettings("localhost", port),
        Clock.systemUTC(),
        org.salus.server.http.NodeServices.none().withLedger(ledger));
  }

  private void statusList(TrustedNode a) throws Exception {
    ok(
        "credential",
        "status-list",
        "--issuer-key",
        tmp.resolve("issuer.jwk").toString(),
        "--status-url",
        STATUS_URL,
        "--out",
        tmp.resolve("status.jwt").toString());
    a.statusLists().refresh(Files.readString(tmp.resolve("status.jwt")));
  }

  /** Issues a credential of {@code role}, presents it to node-a and returns the access token. */
  private String token(PeerClient client, String base, String role, int index, String... claims)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "credential",
                "issue",
                "--issuer-id",
                "big-register",
                "--issuer-key",
                tmp.resolve("issuer.jwk").toString(),
                "--status-url",
                STATUS_URL,
                "--status-index",
                Integer.toString(index),
                "--role",
                role,
                "--subject",
                role + "-1",
                "--holder-key",
                tmp.resolve("holder.pub.jwk").toString(),
                "--out",
                tmp.resolve(role + ".sdjwt").toString()));
    List<String> reveal = new ArrayList<>();
    for (String c : claims) {
      args.add("--claim");
      args.add(c);
      reveal.add(c.substring(0, c.indexOf('=')));
    }
    ok(args.toArray(String[]::new));
    String nonce =
        (String)
            JSONObjectUtils.parse(
                    client
                        .post(URI.create(base + "/login/nonce"), "text/plain", "", Optional.empty())
                        .body())
                .get("nonce");
    ok(
        "credential",
        "present",
        "--credential",
        tmp.resolve(role + ".sdjwt").toString(),
        "--holder-key",
        tmp.resolve("holder.jwk").toString(),
        "--reveal",
        String.join(",", reveal),
        "--nonce",
        nonce,
        "--audience",
        "node-a",
        "--out",
        tmp.resolve("p.txt").toString());
    HttpResponse<String> login =
        client.post(
            URI.create(base + "/login"),
            "text/plain",
            Files.readString(tmp.resolve("p.txt")),
            Optional.empty());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return (String) JSONObjectUtils.parse(login.body()).get("access_token");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void join(Path fed, Path dir, String id, int port) {
    ok("node", "init", "--dir", dir.toString());
    ok("node", "join", "--dir", dir.toString(), "--node-id", id);
    Path keys = dir.resolve(NodeFederation.DIR);
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
        "NL",
        "--url",
        "https://localhost:" + port,
        "--signing-key",
        keys.resolve(NodeKeyFiles.SIGNING_PUBLIC).toString(),
        "--x25519-key",
        keys.resolve(NodeKeyFiles.AGREEMENT_PUBLIC).toString(),
        "--tls-key",
        keys.resolve(NodeKeyFiles.TLS_PUBLIC).toString());
  }
}
