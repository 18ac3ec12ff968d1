package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.keys.SecretBytes;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeLedger;

/**
 * {@code salus ledger rotate-key}: the handover in the log, verification by key period, offline
 * proofs across a rotation, and a rotation interrupted by a crash.
 */
class LedgerRotationTest {

  @TempDir Path tmp;

  private static IngestEndToEndTest.Run salus(String... args) {
    return IngestEndToEndTest.salus(List.of(args));
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

  private static void append(Path dir, int from, int count) {
    try (Node node = NodeDirectory.open(dir);
        NodeLedger ledger = NodeLedger.open(node)) {
      for (int i = from; i < from + count; i++) {
        assertThat(ledger.append(new LedgerEvent.RecordAccess(context(i)))).isEqualTo(i);
      }
    }
  }

  private Path node(String name) {
    Path dir = tmp.resolve(name);
    assertThat(salus("node", "init", "--dir", dir.toString()).exit()).isZero();
    return dir;
  }

  /** 10 entries, checkpoint 10, rotation at entry 10 (handover 11), 5 more, checkpoint 16. */
  private Path rotated(String name) throws Exception {
    Path dir = node(name);
    append(dir, 0, 10);
    assertThat(salus("ledger", "checkpoint", "--dir", dir.toString()).exit()).isZero();
    IngestEndToEndTest.Run rotate =
        salus("ledger", "rotate-key", "--dir", dir.toString(), "--json");
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    assertThat(rotate.json().get("rotationEntry").asLong()).isEqualTo(10);
    assertThat(rotate.json().get("handoverSize").asLong()).isEqualTo(11);
    append(dir, 11, 5);
    assertThat(salus("ledger", "checkpoint", "--dir", dir.toString()).exit()).isZero();
    return dir;
  }

  private static NoteSigner firstSigner(Path dir) {
    try (Node node = NodeDirectory.open(dir)) {
      return NodeLedger.signer(node, node.config().nodeId().toString());
    }
  }

  private static NoteSigner currentSigner(Path dir) throws Exception {
    return NoteSigner.parse(
        SecretBytes.copyOf(Files.readAllBytes(dir.resolve("ledger").resolve("signing-key"))));
  }

  private static String note(Path dir, long size) throws Exception {
    try (Node node = NodeDirectory.open(dir);
        Connection c = node.store().database().connect();
        PreparedStatement s =
            c.prepareStatement("SELECT note FROM ledger_checkpoint WHERE tree_size = ?")) {
      s.setLong(1, size);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static void sql(Path dir, String sql, Object... args) throws Exception {
    try (Node node = NodeDirectory.open(dir);
        Connection c = node.store().database().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  /** Replaces the checkpoint of {@code size} by the same tree head signed with {@code signer}. */
  private static void resign(Path dir, long size, NoteSigner signer) throws Exception {
    SignedCheckpoint old = SignedCheckpoint.parse(note(dir, size));
    sql(
        dir,
        "UPDATE ledger_checkpoint SET note = ? WHERE tree_size = ?",
        SignedCheckpoint.sign(old.checkpoint(), signer).encode(),
        size);
  }

  @Test
  void afterARotationVerifyPassesAndChecksEachCheckpointWithItsPeriodsKey() throws Exception {
    Path dir = rotated("a");
    NoteSigner first = firstSigner(dir);
    NoteSigner current = currentSigner(dir);

    IngestEndToEndTest.Run verify = salus("ledger", "verify", "--dir", dir.toString(), "--json");
    IngestEndToEndTest.Run key = salus("ledger", "key", "--dir", dir.toString(), "--json");

    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.json().get("entries").asLong()).isEqualTo(16);
    assertThat(verify.json().get("checkpoints").asInt()).isEqualTo(3);
    assertThat(verify.json().get("logKeys").size()).isEqualTo(2);
    assertThat(current.verifierKey()).isNotEqualTo(first.verifierKey());
    assertThat(current.verifierKey().name()).isEqualTo(first.verifierKey().name());
    JsonNode history = key.json().get("history");
    assertThat(key.json().get("vkey").asText()).isEqualTo(current.verifierKey().encode());
    assertThat(history.get(0).get("vkey").asText()).isEqualTo(first.verifierKey().encode());
    assertThat(history.get(1).get("fromSize").asLong()).isEqualTo(12);
    assertThat(history.get(1).get("vkey").asText()).isEqualTo(current.verifierKey().encode());
    // The handover checkpoint (11) is signed by the first key, the one after it by the new key.
    SignedCheckpoint.parse(note(dir, 11)).verifyLog(first.verifierKey());
    SignedCheckpoint.parse(note(dir, 16)).verifyLog(current.verifierKey());
    // The private key file is the owner's only.
    assertThat(
            Files.getPosixFilePermissions(dir.resolve("ledger").resolve("signing-key")).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
  }

  @Test
  void aCheckpointSignedByTheKeyOfAnotherPeriodIsReported() throws Exception {
    Path dir = rotated("a");
    NoteSigner first = firstSigner(dir);
    NoteSigner current = currentSigner(dir);

    resign(dir, 16, first);
    IngestEndToEndTest.Run oldAfter = salus("ledger", "verify", "--dir", dir.toString(), "--json");
    resign(dir, 16, current);
    resign(dir, 10, current);
    IngestEndToEndTest.Run newBefore = salus("ledger", "verify", "--dir", dir.toString(), "--json");
    resign(dir, 10, first);
    IngestEndToEndTest.Run restored = salus("ledger", "verify", "--dir", dir.toString(), "--json");
    sql(dir, "DELETE FROM ledger_checkpoint WHERE tree_size = ?", 11L);
    IngestEndToEndTest.Run noHandover =
        salus("ledger", "verify", "--dir", dir.toString(), "--json");

    assertThat(oldAfter.exit()).isEqualTo(1);
    assertThat(oldAfter.json().get("firstInconsistency").asText())
        .isEqualTo(
            "checkpoint 16 is signed by key "
                + first.verifierKey().keyIdHex()
                + ", but the log key for sizes from 12 on is "
                + current.verifierKey().keyIdHex());
    assertThat(newBefore.exit()).isEqualTo(1);
    assertThat(newBefore.json().get("firstInconsistency").asText())
        .isEqualTo(
            "checkpoint 10 is signed by key "
                + current.verifierKey().keyIdHex()
                + ", but the log key for sizes from 0 on is "
                + first.verifierKey().keyIdHex());
    assertThat(restored.exit()).as(restored.out()).isZero();
    assertThat(noHandover.exit()).isEqualTo(1);
    assertThat(noHandover.json().get("firstInconsistency").asText())
        .isEqualTo(
            "key rotation at entry 10 (new key "
                + current.verifierKey().keyIdHex()
                + ") has no handover checkpoint of size 11 signed by the key it replaces");
  }

  @Test
  void proofsAfterARotationVerifyOfflineWithTheRotationProofs() throws Exception {
    Path dir = node("a");
    append(dir, 0, 10);
    String firstKey = salus("ledger", "key", "--dir", dir.toString()).out().strip();
    assertThat(salus("ledger", "rotate-key", "--dir", dir.toString()).exit()).isZero();
    append(dir, 11, 3);
    assertThat(salus("ledger", "rotate-key", "--dir", dir.toString()).exit()).isZero();
    append(dir, 15, 2);
    assertThat(salus("ledger", "checkpoint", "--dir", dir.toString()).exit()).isZero();
    Path proof = tmp.resolve("entry-3.proof");

    IngestEndToEndTest.Run prove =
        salus(
            "ledger",
            "proof",
            "--dir",
            dir.toString(),
            "--entry",
            "3",
            "--out",
            proof.toString(),
            "--json");
    assertThat(prove.exit()).as(prove.err()).isZero();
    JsonNode rotations = prove.json().get("keyRotations");
    assertThat(rotations.size()).isEqualTo(2);
    String r1 = rotations.get(0).asText();
    String r2 = rotations.get(1).asText();
    IngestEndToEndTest.Run ok =
        salus(
            "ledger",
            "verify-proof",
            proof.toString(),
            "--log-key",
            firstKey,
            "--key-rotation",
            r1,
            "--key-rotation",
            r2,
            "--json");
    IngestEndToEndTest.Run withoutRotations =
        salus("ledger", "verify-proof", proof.toString(), "--log-key", firstKey);
    IngestEndToEndTest.Run oneMissing =
        salus(
            "ledger",
            "verify-proof",
            proof.toString(),
            "--log-key",
            firstKey,
            "--key-rotation",
            r2);
    IngestEndToEndTest.Run reordered =
        salus(
            "ledger",
            "verify-proof",
            proof.toString(),
            "--log-key",
            firstKey,
            "--key-rotation",
            r2,
            "--key-rotation",
            r1);
    IngestEndToEndTest.Run twice =
        salus(
            "ledger",
            "verify-proof",
            proof.toString(),
            "--log-key",
            firstKey,
            "--key-rotation",
            r1,
            "--key-rotation",
            r1);
    // A rotation proof is not a proof of any entry: entry 3 against checkpoint 17 is refused.
    IngestEndToEndTest.Run notARotation =
        salus(
            "ledger",
            "verify-proof",
            proof.toString(),
            "--log-key",
            firstKey,
            "--key-rotation",
            proof.toString());

    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.json().get("entry").asLong()).isEqualTo(3);
    assertThat(ok.json().get("treeSize").asLong()).isEqualTo(17);
    assertThat(withoutRotations.exit()).isEqualTo(1);
    assertThat(withoutRotations.err()).startsWith("salus: ledger.");
    assertThat(oneMissing.exit()).isEqualTo(1);
    // The second rotation's handover is signed by the second key, not the first.
    assertThat(reordered.exit()).isEqualTo(1);
    assertThat(reordered.err()).contains("ledger.note.bad-signature");
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.err()).contains("ledger.key-rotation.out-of-order");
    assertThat(notARotation.exit()).isEqualTo(1);
    assertThat(notARotation.err()).contains("ledger.key-rotation.not-handover");
  }

  @Test
  void aRotationInterruptedAfterItsEntryIsFinishedWhenTheLedgerOpens() throws Exception {
    Path dir = node("a");
    append(dir, 0, 4);
    NoteSigner first = firstSigner(dir);
    NoteSigner next =
        NoteSigner.generate(first.verifierKey().name(), KeyType.ED25519, new SecureRandom());
    // The state a crash leaves after the entry's commit: the next key aside, no handover.
    Files.createDirectories(dir.resolve("ledger"));
    Files.write(dir.resolve("ledger").resolve("next-signing-key"), next.encode().toByteArray());
    try (Node node = NodeDirectory.open(dir)) {
      try (NodeLedger ledger = NodeLedger.open(node)) {
        assertThat(
                ledger.append(new LedgerEvent.KeyRotation(context(4), next.verifierKey().encode())))
            .isEqualTo(4);
      }
    }

    // Opening the ledger (any command) stores the handover with the old key, then switches.
    IngestEndToEndTest.Run key = salus("ledger", "key", "--dir", dir.toString(), "--json");
    append(dir, 5, 2);
    assertThat(salus("ledger", "checkpoint", "--dir", dir.toString()).exit()).isZero();
    IngestEndToEndTest.Run verify = salus("ledger", "verify", "--dir", dir.toString(), "--json");

    assertThat(key.exit()).as(key.err()).isZero();
    assertThat(key.json().get("vkey").asText()).isEqualTo(next.verifierKey().encode());
    SignedCheckpoint.parse(note(dir, 5)).verifyLog(first.verifierKey());
    SignedCheckpoint.parse(note(dir, 7)).verifyLog(next.verifierKey());
    assertThat(Files.exists(dir.resolve("ledger").resolve("next-signing-key"))).isFalse();
    assertThat(verify.exit()).as(verify.out()).isZero();
    assertThat(verify.json().get("checkpoints").asInt()).isEqualTo(2);
  }

  @Test
  void aRotationInterruptedBeforeItsEntryKeepsTheOldKeyAndResumesWithTheDrawnKey()
      throws Exception {
    Path dir = node("a");
    append(dir, 0, 3);
    NoteSigner first = firstSigner(dir);
    NoteSigner next =
        NoteSigner.generate(first.verifierKey().name(), KeyType.ED25519, new SecureRandom());
    Files.createDirectories(dir.resolve("ledger"));
    Files.write(dir.resolve("ledger").resolve("next-signing-key"), next.encode().toByteArray());

    IngestEndToEndTest.Run before = salus("ledger", "key", "--dir", dir.toString());
    IngestEndToEndTest.Run checkpoint = salus("ledger", "checkpoint", "--dir", dir.toString());
    IngestEndToEndTest.Run rotate =
        salus("ledger", "rotate-key", "--dir", dir.toString(), "--json");
    IngestEndToEndTest.Run verify = salus("ledger", "verify", "--dir", dir.toString());

    assertThat(before.out().strip()).isEqualTo(first.verifierKey().encode());
    assertThat(checkpoint.exit()).isZero();
    SignedCheckpoint.parse(note(dir, 3)).verifyLog(first.verifierKey());
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    assertThat(rotate.json().get("newKey").asText()).isEqualTo(next.verifierKey().encode());
    assertThat(rotate.json().get("rotationEntry").asLong()).isEqualTo(3);
    assertThat(verify.exit()).as(verify.out()).isZero();
  }

  @Test
  void aJoinedNodeRotatesItsWitnessesFollowButNotWhileItRuns() throws Exception {
    Path dir = node("a");
    append(dir, 0, 2);
    Files.createDirectories(dir.resolve("federation"));
    Files.writeString(dir.resolve("federation").resolve("node-id"), "node-a\n");

    IngestEndToEndTest.Run whileRunning;
    try (Node n = NodeDirectory.open(dir);
        NodeLedgerService running =
            new NodeLedgerService(n, "node-a", java.time.Clock.systemUTC(), line -> {})) {
      whileRunning = salus("ledger", "rotate-key", "--dir", dir.toString());
    }
    IngestEndToEndTest.Run unchanged = salus("ledger", "key", "--dir", dir.toString(), "--json");
    IngestEndToEndTest.Run rotated =
        salus("ledger", "rotate-key", "--dir", dir.toString(), "--json");

    assertThat(whileRunning.exit()).isEqualTo(1);
    assertThat(whileRunning.err()).startsWith("salus: ledger.rotate.running");
    assertThat(unchanged.json().get("history").size()).isEqualTo(1);
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    assertThat(rotated.json().get("origin").asText()).isEqualTo("salus.node/node-a");
    assertThat(rotated.json().get("rotationEntry").asLong()).isEqualTo(2);
  }

  @Test
  void aSigningKeyThatIsNotTheLastOfTheHistoryIsRefused() throws Exception {
    Path dir = rotated("a");
    NoteSigner stranger =
        NoteSigner.generate(
            firstSigner(dir).verifierKey().name(), KeyType.ED25519, new SecureRandom());
    Files.write(dir.resolve("ledger").resolve("signing-key"), stranger.encode().toByteArray());

    IngestEndToEndTest.Run checkpoint = salus("ledger", "checkpoint", "--dir", dir.toString());

    assertThat(checkpoint.exit()).isEqualTo(1);
    assertThat(checkpoint.err())
        .startsWith(
            "salus: ledger.key.mismatch: the ledger signing key "
                + stranger.verifierKey().keyIdHex());
  }
}
