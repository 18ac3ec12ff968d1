package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salus.cli.FederationSteps.handOver;
import static org.salus.cli.FederationSteps.listIssuer;
import static org.salus.cli.FederationSteps.ok;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.MemoryHashStore;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.witness.AddCheckpointRequest;
import org.salus.core.ledger.witness.KeyRotationRequest;
import org.salus.core.ledger.witness.WitnessOutcome;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import org.salus.server.trust.NodeKeyFiles;
import org.salus.store.ledger.LedgerProofs;
import org.salus.store.ledger.VerifyReport;
import org.salus.store.ledger.WitnessStore;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeLedger;

/**
 * Three joined nodes in-process over mutual TLS: A rotates its log key while witness C is down; B
 * refuses forged rotation proofs and keeps A's first key, then accepts the real one from A's
 * publisher and cosigns A's new-key checkpoints; C catches up when it is back; a restarted witness
 * keeps the new key; the old key signing above its handover is refused and kept as evidence.
 */
class WitnessKeyRotationTest {

  private static final String ORIGIN = "salus.node/node-a";

  @TempDir Path tmp;

  private final List<String> logA = Collections.synchronizedList(new ArrayList<>());
  private final List<String> logB = Collections.synchronizedList(new ArrayList<>());
  private final List<String> logC = Collections.synchronizedList(new ArrayList<>());

  @Test
  void witnessesFollowARotationAndRefuseForgedOnes() throws Exception {
    Path fed = tmp.resolve("fed");
    Path dirA = tmp.resolve("node-a");
    Path dirB = tmp.resolve("node-b");
    Path dirC = tmp.resolve("node-c");
    ok("federation", "init", "--dir", fed.toString(), "--id", "eu-health");
    int portA = freePort();
    int portB = freePort();
    int portC = freePort();
    join(fed, dirA, "node-a", portA);
    join(fed, dirB, "node-b", portB);
    join(fed, dirC, "node-c", portC);
    listIssuer(fed, tmp, "https://big.example/status/1");
    handOver(fed, dirA, "node-a");
    handOver(fed, dirB, "node-b");
    handOver(fed, dirC, "node-c");

    try (Node storeA = NodeDirectory.open(dirA);
        Node storeB = NodeDirectory.open(dirB);
        Node storeC = NodeDirectory.open(dirC);
        NodeLedgerService ledgerB =
            new NodeLedgerService(storeB, "node-b", Clock.systemUTC(), logB::add);
        TrustedNode b = start(dirB, portB, Optional.of(ledgerB));
        TrustedNode a = start(dirA, portA, Optional.empty())) {
      VerifierKey witnessB =
          LedgerKeys.witnessKey(b.trustList().current().node("node-b").orElseThrow());
      VerifierKey witnessC =
          LedgerKeys.witnessKey(b.trustList().current().node("node-c").orElseThrow());
      var nodeA = b.trustList().current().node("node-a").orElseThrow();
      NoteSigner firstKey = NodeLedger.signer(storeA, "node-a");
      PeerClient fromA = new PeerClient(a.tls());

      // Before the rotation: B and C cosign A's size 5.
      try (NodeLedgerService ledgerA =
              new NodeLedgerService(storeA, "node-a", Clock.systemUTC(), logA::add);
          NodeLedgerService ledgerC =
              new NodeLedgerService(storeC, "node-c", Clock.systemUTC(), logC::add);
          TrustedNode c = start(dirC, portC, Optional.of(ledgerC));
          CheckpointPublisher p = publisher(a, ledgerA)) {
        append(ledgerA, 0, 5);
        assertThat(p.round()).as("B and C cosign size 5: " + logA).isEqualTo(2);
      }
      // C is down from here on; A (stopped) rotates its log key: entry 5, handover checkpoint 6.
      NodeLedger.Rotation rotation;
      try (NodeLedger ledger = NodeLedger.open(storeA, "node-a")) {
        rotation = ledger.rotateKey(Instant.now(), new SecureRandom(), "node:" + ORIGIN);
      }
      assertThat(rotation.handoverSize()).isEqualTo(6);
      URI rotateAtB = uri(portB, CheckpointPublisher.ROTATION_PATH);
      URI addAtB = uri(portB, CheckpointPublisher.PATH);

      try (NodeLedgerService ledgerA =
              new NodeLedgerService(storeA, "node-a", Clock.systemUTC(), logA::add);
          CheckpointPublisher p = publisher(a, ledgerA)) {
        ProofFile real = ledgerA.rotationProofs().get(0);
        assertThat(real.index()).isEqualTo(5);
        append(ledgerA, 6, 9);
        SignedCheckpoint cp9 = ledgerA.publish(ledgerA.head());

        // Forged rotation proofs are refused and B keeps A's first key.
        NoteSigner stranger = NoteSigner.generate(ORIGIN, KeyType.ED25519, new SecureRandom());
        ProofFile badSignature =
            new ProofFile(
                real.entry(),
                real.index(),
                real.proof(),
                SignedCheckpoint.sign(real.checkpoint().checkpoint(), stranger));
        assertThat(
                post(
                    fromA,
                    rotateAtB,
                    new KeyRotationRequest(5, proof(ledgerA, 5, 6), badSignature)))
            .as("handover not signed by A's key")
            .isEqualTo(403);
        try (LedgerProofs proofs = new LedgerProofs(storeA.store().database().connect())) {
          ProofFile notRotation =
              new ProofFile(
                  proofs.entry(3),
                  3,
                  proofs.inclusion(3, 4).hashes(),
                  SignedCheckpoint.sign(new Checkpoint(ORIGIN, 4, proofs.root(4)), firstKey));
          assertThat(post(fromA, rotateAtB, new KeyRotationRequest(5, List.of(), notRotation)))
              .as("entry 3 is a record access, not a rotation")
              .isEqualTo(400);
          // A rotation entry to a key of the forger's, with the real entry's inclusion proof.
          NoteSigner forger = NoteSigner.generate(ORIGIN, KeyType.ED25519, new SecureRandom());
          ProofFile otherEntry =
              new ProofFile(
                  EntryCodec.encode(rotationEvent(forger.verifierKey())),
                  real.index(),
                  real.proof(),
                  real.checkpoint());
          assertThat(
                  post(
                      fromA,
                      rotateAtB,
                      new KeyRotationRequest(5, proof(ledgerA, 5, 6), otherEntry)))
              .as("an inclusion proof of entry 5 for a rotation entry not in the log")
              .isEqualTo(400);
        }
        assertThat(post(fromA, addAtB, new AddCheckpointRequest(5, proof(ledgerA, 5, 9), cp9)))
            .as("B still holds A's first key: a new-key checkpoint is refused")
            .isEqualTo(403);

        // The publisher shows B the rotation (with its handover), then the new-key checkpoint.
        assertThat(p.round()).as("B follows; C is down: " + logA).isEqualTo(1);
        assertThat(logB).anySatisfy(l -> assertThat(l).contains("rotated its log key at entry 5"));
        assertThat(logA).anySatisfy(l -> assertThat(l).contains("witness node-c unreachable"));
        assertThat(cosigners(ledgerA, 6, witnessB, witnessC)).containsExactly("B");
        assertThat(cosigners(ledgerA, 9, witnessB, witnessC)).containsExactly("B");
        assertThat(ledgerB.ledger().verify(List.of()).forksWitnessed())
            .as("a proper rotation raises no alarm at the witness")
            .isEmpty();
        assertThat(logB).noneSatisfy(l -> assertThat(l).contains("ALARM"));

        // C comes back: it catches up from size 5 (409), accepts the rotation, cosigns.
        append(ledgerA, 9, 11);
        try (NodeLedgerService ledgerC =
                new NodeLedgerService(storeC, "node-c", Clock.systemUTC(), logC::add);
            TrustedNode c = start(dirC, portC, Optional.of(ledgerC))) {
          assertThat(p.round()).as("B and C cosign size 11: " + logA).isEqualTo(2);
          assertThat(logC).anySatisfy(l -> assertThat(l).contains("rotated its log key"));
          assertThat(cosigners(ledgerA, 6, witnessB, witnessC)).containsExactly("B", "C");
          assertThat(cosigners(ledgerA, 11, witnessB, witnessC)).containsExactly("B", "C");
          VerifyReport report = ledgerA.ledger().verify(List.of(witnessB, witnessC));
          assertThat(report.firstInconsistency()).isEmpty();
          assertThat(report.cosignatures()).as("5: B C, 6: B C, 9: B, 11: B C").isEqualTo(7);

          // A restarted witness keeps the new key (and answers the known rotation again).
          append(ledgerA, 11, 12);
          SignedCheckpoint cp12 = ledgerA.publish(ledgerA.head());
          try (NodeLedgerService restartedC =
              new NodeLedgerService(storeC, "node-c", Clock.systemUTC(), logC::add)) {
            assertThat(
                    restartedC.addCheckpoint(
                        nodeA, new AddCheckpointRequest(11, proof(ledgerA, 11, 12), cp12)))
                .isInstanceOf(WitnessOutcome.Cosigned.class);
            assertThat(
                    restartedC.addKeyRotation(nodeA, new KeyRotationRequest(12, List.of(), real)))
                .as("a rotation accepted before is cosigned again, nothing changes")
                .isInstanceOf(WitnessOutcome.Cosigned.class);
          }

          // A second rotation whose handover contradicts what C cosigned (size 11): a fork, and
          // C's key chain keeps the one rotation it accepted.
          NoteSigner sneaky = NoteSigner.generate(ORIGIN, KeyType.ED25519, new SecureRandom());
          FakeTree fake = new FakeTree(11, sneaky.verifierKey(), ledgerA.ledger().signer());
          assertThat(
                  post(
                      fromA,
                      uri(portC, CheckpointPublisher.ROTATION_PATH),
                      new KeyRotationRequest(
                          11, fake.tree.consistency(11, 12).hashes(), fake.rotationProof())))
              .as("the handover contradicts what C cosigned")
              .isEqualTo(422);
          assertThat(logC).anySatisfy(l -> assertThat(l).contains("ALARM ledger fork"));
          try (var conn = storeC.store().database().connect()) {
            assertThat(new WitnessStore(conn).rotations(ORIGIN))
                .as("C kept only the proper rotation")
                .extracting(ProofFile::index)
                .containsExactly(5L);
          }
        }

        // The old key signing above its handover: refused by B, kept as evidence.
        SignedCheckpoint oldKeyAfter =
            SignedCheckpoint.sign(new Checkpoint(ORIGIN, 13, Hash.of(new byte[32])), firstKey);
        assertThat(post(fromA, addAtB, new AddCheckpointRequest(11, List.of(), oldKeyAfter)))
            .as("the first key signed checkpoint 13 after handing over at 6")
            .isEqualTo(422);
        assertThat(logB)
            .anySatisfy(l -> assertThat(l).contains("ALARM ledger fork").contains("handed over"));
        assertThat(ledgerB.ledger().verify(List.of()).forksWitnessed())
            .singleElement()
            .asString()
            .contains("checkpoint 13 is signed by key " + firstKey.verifierKey().keyIdHex());
      }
    }

    // With the nodes stopped: A's verify counts the witnesses' cosignatures from the trust list.
    IngestEndToEndTest.Run verifyA =
        IngestEndToEndTest.salus(List.of("ledger", "verify", "--dir", dirA.toString(), "--json"));
    assertThat(verifyA.exit()).as(verifyA.err()).isZero();
    assertThat(verifyA.json().get("cosignatures").asInt()).isEqualTo(7);
  }

  /**
   * A tree of {@code before} leaves of another history then a KeyRotation entry naming {@code
   * next}.
   */
  private static final class FakeTree {
    final MemoryHashStore hashes = new MemoryHashStore();
    final ProofBuilder tree = new ProofBuilder(hashes);
    final byte[] rotationEntry;
    final long index;
    final NoteSigner signer;

    FakeTree(int before, VerifierKey next, NoteSigner signer) {
      for (int i = 0; i < before; i++) {
        hashes.append(TreeHasher.leafHash(new byte[] {9, (byte) i}));
      }
      rotationEntry = EntryCodec.encode(rotationEvent(next));
      hashes.append(TreeHasher.leafHash(rotationEntry));
      index = before;
      this.signer = signer;
    }

    ProofFile rotationProof() {
      long size = index + 1;
      return new ProofFile(
          rotationEntry,
          index,
          tree.inclusion(index, size).hashes(),
          SignedCheckpoint.sign(new Checkpoint(ORIGIN, size, tree.root(size)), signer));
    }
  }

  static LedgerEvent rotationEvent(VerifierKey next) {
    return new LedgerEvent.KeyRotation(
        new EventContext(
            Instant.parse("2026-12-01T10:00:00Z"),
            ActorId.ofCredential("node:" + ORIGIN),
            Optional.empty(),
            "HOPERAT",
            List.of("ledger-key"),
            Optional.empty()),
        next.encode());
  }

  private static List<Hash> proof(NodeLedgerService ledger, long from, long to) {
    return ledger.consistency(from, to).hashes();
  }

  private static int post(PeerClient client, URI uri, KeyRotationRequest request)
      throws IOException, InterruptedException {
    return post(client, uri, request.encode());
  }

  private static int post(PeerClient client, URI uri, AddCheckpointRequest request)
      throws IOException, InterruptedException {
    return post(client, uri, request.encode());
  }

  private static int post(PeerClient client, URI uri, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.post(uri, AddCheckpointRequest.CONTENT_TYPE, body, Optional.empty());
    return r.statusCode();
  }

  private static URI uri(int port, String path) {
    return URI.create("https://localhost:" + port + path);
  }

  /** Which of B and C cosigned A's stored checkpoint of {@code size}. */
  private static List<String> cosigners(
      NodeLedgerService ledger, long size, VerifierKey b, VerifierKey c) {
    SignedCheckpoint cp =
        ledger.checkpoints().stream()
            .filter(x -> x.checkpoint().size() == size)
            .findFirst()
            .orElseThrow();
    List<String> out = new ArrayList<>();
    if (cp.cosignedBy(b).isPresent()) {
      out.add("B");
    }
    if (cp.cosignedBy(c).isPresent()) {
      out.add("C");
    }
    return out;
  }

  private CheckpointPublisher publisher(TrustedNode a, NodeLedgerService ledgerA) {
    return new CheckpointPublisher(
        "node-a", ledgerA, a.trustList(), new PeerClient(a.tls()), logA::add);
  }

  private static void append(NodeLedgerService ledger, int from, int to) {
    for (int i = from; i < to; i++) {
      assertThat(ledger.ledger().append(new LedgerEvent.RecordAccess(context(i)))).isEqualTo(i);
    }
  }

  private static EventContext context(int i) {
    return new EventContext(
        Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i),
        ActorId.ofCredential("credential-" + (i % 3)),
        Optional.empty(),
        "TREAT",
        List.of("problems"),
        Optional.empty());
  }

  private static TrustedNode start(Path dir, int port, Optional<NodeLedgerService> ledger)
      throws IOException {
    var services = org.salus.server.http.NodeServices.none();
    return NodeFederation.start(
        NodeFederation.load(dir),
        new ServerSettings("localhost", port),
        Clock.systemUTC(),
        ledger.isPresent() ? services.withLedger(ledger.get()) : services);
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
