package org.salus.store.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.Optional;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.BirthPrecision;
import org.salus.store.NodeStats;
import org.salus.store.StoreException;

class NodeDirectoryTest {

  @TempDir Path tmp;

  @Test
  void initThenOpenGivesTheSameNode() throws Exception {
    Path dir = tmp.resolve("hospital-a");
    NodeConfig created;
    byte[] signingKey;
    try (Node node =
        NodeDirectory.init(
            dir, NodeOptions.defaults("Hospital A").withBirthPrecision(BirthPrecision.YEAR))) {
      created = node.config();
      signingKey = node.keys().signingPublicKey().getEncoded();
      assertThat(node.store().stats().tables().get(AnalyticTable.PERSON)).isZero();
    }

    try (Node node = NodeDirectory.open(dir)) {
      assertThat(node.config()).isEqualTo(created);
      assertThat(node.config().name()).isEqualTo("Hospital A");
      assertThat(node.config().birthPrecision()).isEqualTo(BirthPrecision.YEAR);
      assertThat(node.config().database())
          .isEqualTo(new NodeConfig.DatabaseSettings.DuckDb("node.duckdb"));
      assertThat(node.keys().signingPublicKey().getEncoded()).isEqualTo(signingKey);
      assertThat(node.dir()).isEqualTo(dir.toAbsolutePath());
      NodeStats stats = node.store().stats();
      assertThat(stats.tables()).hasSize(9);
    }
    assertThat(dir.resolve("node.duckdb")).exists();
    assertThat(dir.resolve("public-keys.json")).exists();
  }

  @Test
  void defaultsAreMonthPrecisionEmbeddedAndTheDirectoryName() {
    try (Node node = NodeDirectory.init(tmp.resolve("north"), NodeOptions.defaults())) {
      assertThat(node.config().birthPrecision()).isEqualTo(BirthPrecision.MONTH);
      assertThat(node.config().name()).isEqualTo("north");
      assertThat(node.config().schemaVersion()).isEqualTo(1);
    }
  }

  @Test
  void keysFileIsOwnerOnly() throws IOException {
    Path dir = tmp.resolve("n");
    NodeDirectory.init(dir, NodeOptions.defaults()).close();

    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys.json"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve("node.json"))).doesNotContain("dataKey");
  }

  @Test
  void loadedKeysWork() throws Exception {
    Path dir = tmp.resolve("n");
    NodeDirectory.init(dir, NodeOptions.defaults()).close();
    try (Node node = NodeDirectory.open(dir)) {
      NodeKeys keys = node.keys();
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keys.signingPrivateKey());
      s.update("checkpoint".getBytes(StandardCharsets.UTF_8));
      byte[] sig = s.sign();
      s.initVerify(keys.publicKeys().signing());
      s.update("checkpoint".getBytes(StandardCharsets.UTF_8));
      assertThat(s.verify(sig)).isTrue();

      KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(keys.agreementPrivateKey());
      ka.doPhase(keys.agreementPublicKey(), true);
      assertThat(ka.generateSecret()).hasSize(32);
      assertThat(keys.publicKeys().signingRaw()).hasSize(32);
      assertThat(keys.toString())
          .contains("redacted")
          .doesNotContain(keys.dataKey().toString() + "x");
      assertThat(keys.pseudonymSecret().length()).isEqualTo(32);
      assertThat(keys.dataKey().length()).isEqualTo(32);
    }
  }

  @Test
  void twoNodesHaveDifferentSecretsSoPseudonymsDiffer() {
    try (Node a = NodeDirectory.init(tmp.resolve("a"), NodeOptions.defaults());
        Node b = NodeDirectory.init(tmp.resolve("b"), NodeOptions.defaults())) {
      assertThat(a.keys().pseudonymSecret()).isNotEqualTo(b.keys().pseudonymSecret());
      assertThat(a.keys().dataKey()).isNotEqualTo(b.keys().dataKey());
      assertThat(a.config().nodeId()).isNotEqualTo(b.config().nodeId());
      String id = "urn:oid:1.2.3|12345";
      assertThat(a.pseudonymizer().personKey(id)).isNotEqualTo(b.pseudonymizer().personKey(id));
      assertThat(a.pseudonymizer().personKey(id)).isEqualTo(a.pseudonymizer().personKey(id));
    }
  }

  @Test
  void pseudonymsAreStableAcrossReopening() {
    Path dir = tmp.resolve("n");
    String before;
    try (Node node = NodeDirectory.init(dir, NodeOptions.defaults())) {
      before = node.pseudonymizer().personKey("mrn|1");
    }
    try (Node node = NodeDirectory.open(dir)) {
      assertThat(node.pseudonymizer().personKey("mrn|1")).isEqualTo(before);
    }
  }

  @Test
  void reInitIsRefusedAndLeavesTheNodeIntact() throws IOException {
    Path dir = tmp.resolve("n");
    NodeDirectory.init(dir, NodeOptions.defaults()).close();
    String config = Files.readString(dir.resolve("node.json"));

    assertThatThrownBy(() -> NodeDirectory.init(dir, NodeOptions.defaults()))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo("node.exists");
              assertThat(e.getMessage()).contains(dir.toString());
            });
    assertThat(Files.readString(dir.resolve("node.json"))).isEqualTo(config);
  }

  @Test
  void aNonEmptyDirectoryIsRefused() throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "x");

    assertThatThrownBy(() -> NodeDirectory.init(tmp, NodeOptions.defaults()))
        .hasFieldOrPropertyWithValue("code", "node.dir-not-empty");
    assertThat(tmp.resolve("keys.json")).doesNotExist();
  }

  @Test
  void openingANonNodeSaysSoAndNamesThePath() throws IOException {
    Path empty = Files.createDirectory(tmp.resolve("empty"));

    assertThatThrownBy(() -> NodeDirectory.open(empty))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo("node.not-a-node");
              assertThat(e.getMessage()).contains(empty.toString()).contains("node.json");
            });
    assertThatThrownBy(() -> NodeDirectory.open(tmp.resolve("missing")))
        .hasFieldOrPropertyWithValue("code", "node.not-a-node")
        .hasMessageContaining("missing");
  }

  @Test
  void anUnknownConfigFieldIsAClearError() throws IOException {
    Path dir = tmp.resolve("n");
    NodeDirectory.init(dir, NodeOptions.defaults()).close();
    Path config = dir.resolve("node.json");
    Files.writeString(config, Files.readString(config).replace("{", "{\"colour\": \"red\", "));

    assertThatThrownBy(() -> NodeDirectory.open(dir))
        .hasFieldOrPropertyWithValue("code", "node.config.invalid")
        .hasMessageContaining("colour")
        .hasMessageContaining("node.json");
  }

  @Test
  void aMissingConfigFieldIsAClearError() throws IOException {
    Path dir = tmp.resolve("n");
    NodeDirectory.init(dir, NodeOptions.defaults()).close();
    Path config = dir.resolve("node.json");
    Files.writeString(
        config, Files.readString(config).replaceAll("\"birthPrecision\" *: *\"MONTH\" *,", ""));

    assertThatThrownBy(() -> NodeDirectory.open(dir))
        .hasFieldOrPropertyWithValue("code", "node.config.invalid")
        .hasMessageContaining("birthPrecision");
  }

  @Test
  void aFailedInitLeavesNothingBehind() {
    Path dir = tmp.resolve("n");
    NodeOptions bad =
        NodeOptions.defaults().withJdbcUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");

    assertThatThrownBy(() -> NodeDirectory.init(dir, bad))
        .hasFieldOrPropertyWithValue("code", "store.connect.failed");
    assertThat(dir).doesNotExist();
  }

  @Test
  void nodeOptionsDefaults() {
    assertThat(NodeOptions.defaults("x"))
        .isEqualTo(new NodeOptions(Optional.empty(), BirthPrecision.MONTH, "x"));
  }
}
