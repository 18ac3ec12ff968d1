package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeLedger;

/** {@code salus ledger} on a node: checkpoint, verify, proofs, and what tampering does. */
class LedgerCommandTest {

  @TempDir Path tmp;

  private static IngestEndToEndTest.Run salus(String... args) {
    return IngestEndToEndTest.salus(List.of(args));
  }

  private Path nodeWithEntries(String name, int entries) {
    Path dir = tmp.resolve(name);
    assertThat(salus("node", "init", "--dir", dir.toString()).exit()).isZero();
    try (Node node = NodeDirectory.open(dir);
        NodeLedger ledger = NodeLedger.open(node)) {
      for (int i = 0; i < entries; i++) {
        EventContext context =
            new EventContext(
                Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i),
                ActorId.ofCredential("credential-" + (i % 3)),
                Optional.empty(),
                "TREAT",
                List.of("problems"),
                Optional.empty());
        assertThat(ledger.append(new LedgerEvent.RecordAccess(context))).isEqualTo(i);
      }
    }
    return dir;
  }

  @Test
  void checkpointVerifyProveAndCheckOffline() throws Exception {
    Path dir = nodeWithEntries("a", 25);

    IngestEndToEndTest.Run checkpoint =
        salus("ledger", "checkpoint", "--dir", dir.toString(), "--json");
    IngestEndToEndTest.Run verify = salus("ledger", "verify", "--dir", dir.toString(), "--json");
    IngestEndToEndTest.Run key = salus("ledger", "key", "--dir", dir.toString(), "--json");
    Path proof = tmp.resolve("entry-7.proof");
    IngestEndToEndTest.Run prove =
        salus(
            "ledger", "proof", "--dir", dir.toString(), "--entry", "7", "--out", proof.toString());
    String vkey = key.json().get("vkey").asText();
    IngestEndToEndTest.Run offline =
        salus("ledger", "verify-proof", proof.toString(), "--log-key", vkey, "--json");

    assertThat(checkpoint.exit()).as(checkpoint.err()).isZero();
    assertThat(checkpoint.json().get("size").asLong()).isEqualTo(25);
    assertThat(checkpoint.json().get("note").asText())
        .startsWith(key.json().get("origin").asText() + "\n25\n");
    assertThat(verify.exit()).as(verify.err()).isZero();
    JsonNode report = verify.json();
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("entries").asLong()).isEqualTo(25);
    assertThat(report.get("checkpoints").asInt()).isEqualTo(1);
    assertThat(prove.exit()).as(prove.err()).isZero();
    assertThat(Files.readString(proof)).startsWith("c2sp.org/tlog-proof@v1");
    assertThat(offline.exit()).as(offline.err()).isZero();
    assertThat(offline.json().get("entry").asLong()).isEqualTo(7);
    assertThat(offline.json().get("treeSize").asLong()).isEqualTo(25);
  }

  @Test
  void aTamperedProofOrAnotherLogsKeyIsRefused() throws Exception {
    Path a = nodeWithEntries("a", 9);
    Path b = nodeWithEntries("b", 1);
    assertThat(salus("ledger", "checkpoint", "--dir", a.toString()).exit()).isZero();
    Path proof = tmp.resolve("p");
    assertThat(
            salus(
                    "ledger",
                    "proof",
                    "--dir",
                    a.toString(),
                    "--entry",
                    "4",
                    "--out",
                    proof.toString())
                .exit())
        .isZero();
    String keyA = salus("ledger", "key", "--dir", a.toString()).out().strip();
    String keyB = salus("ledger", "key", "--dir", b.toString()).out().strip();
    List<String> lines = Files.readAllLines(proof, StandardCharsets.UTF_8);
    // The third line holds the first proof hash; change one base64 character.
    String hash = lines.get(2);
    char c = hash.charAt(0) == 'A' ? 'B' : 'A';
    lines.set(2, c + hash.substring(1));
    Path tampered = tmp.resolve("tampered");
    Files.write(tampered, lines, StandardCharsets.UTF_8);

    IngestEndToEndTest.Run wrongKey =
        salus("ledger", "verify-proof", proof.toString(), "--log-key", keyB);
    IngestEndToEndTest.Run badHash =
        salus("ledger", "verify-proof", tampered.toString(), "--log-key", keyA);
    IngestEndToEndTest.Run good =
        salus("ledger", "verify-proof", proof.toString(), "--log-key", keyA);

    assertThat(good.exit()).as(good.err()).isZero();
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.err()).startsWith("salus: ledger.");
    assertThat(badHash.exit()).isEqualTo(1);
    assertThat(badHash.err()).startsWith("salus: ledger.");
  }

  @Test
  void verifyNamesTheFirstAlteredEntry() throws Exception {
    Path dir = nodeWithEntries("a", 12);
    assertThat(salus("ledger", "checkpoint", "--dir", dir.toString()).exit()).isZero();
    try (Node node = NodeDirectory.open(dir);
        Connection c = node.store().database().connect();
        PreparedStatement s =
            c.prepareStatement("UPDATE ledger_entry SET entry = ? WHERE idx = 5")) {
      s.setBytes(1, "forged".getBytes(StandardCharsets.UTF_8));
      assertThat(s.executeUpdate()).isEqualTo(1);
    }

    IngestEndToEndTest.Run verify = salus("ledger", "verify", "--dir", dir.toString(), "--json");

    assertThat(verify.exit()).isEqualTo(1);
    JsonNode report = verify.json();
    assertThat(report.get("ok").asBoolean()).isFalse();
    assertThat(report.get("firstInconsistency").asText()).contains("5");
  }
}
