package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.salus.cli.FederationSteps.addNode;
import static org.salus.cli.FederationSteps.gatewayClient;
import static org.salus.cli.FederationSteps.handOver;
import static org.salus.cli.FederationSteps.listIssuer;
import static org.salus.cli.FederationSteps.ok;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.error.SalusException;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.FederationDirectory;
import org.salus.server.trust.NodeKeyFiles;
import org.salus.server.trust.TrustListVerdict;
import org.salus.store.node.NodeDirectory;

/**
 * The node-directory flow of docs/trust.md: node init, node join, operator add-node, hand over the
 * files, node start; a clinician logs in over mutual TLS; a removed peer is refused after refresh.
 */
class NodeStartTest {

  private static final String STATUS_URL = "https://big.example/status/1";

  @TempDir Path tmp;

  @Test
  void aJoinedNodeStartsFromItsDirectoryAndRefusesARemovedPeerAfterRefresh() throws Exception {
    Path fed = tmp.resolve("fed");
    Path nodeDir = tmp.resolve("node-a");
    Path gw = tmp.resolve("gateway");
    ok("federation", "init", "--dir", fed.toString(), "--id", "eu-health");
    ok("node", "init", "--dir", nodeDir.toString());
    ok("node", "join", "--dir", nodeDir.toString(), "--node-id", "node-a", "--json");
    Path joined = nodeDir.resolve(NodeFederation.DIR);
    assertThat(Files.getPosixFilePermissions(joined.resolve(NodeKeyFiles.TLS_KEY)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(joined.resolve(NodeKeyFiles.SIGNING)).doesNotExist();
    ok("federation", "node-keys", "--out", gw.toString(), "--node-id", "gateway");
    addNode(fed, joined, "node-a");
    addNode(fed, gw, "gateway");
    listIssuer(fed, tmp, STATUS_URL);
    handOver(fed, nodeDir, "node-a");

    NodeFederation.Start start = NodeFederation.load(nodeDir);
    java.util.List<String> taken = new java.util.ArrayList<>();
    try (TrustedNode node =
            NodeFederation.start(start, new ServerSettings("localhost", 0), Clock.systemUTC());
        NodeRefresher refresher =
            new NodeRefresher(
                node, start.trustListFile(), Optional.empty(), line -> {}, taken::add)) {
      // One identity: the key the trust list names for node-a is keys.json's Ed25519 key.
      OctetKeyPair listed =
          Ed25519Keys.parse(
              node.trustList().current().node("node-a").orElseThrow().signingJwk(),
              Curve.Ed25519,
              "listed");
      assertThat(listed.getX().decode())
          .isEqualTo(NodeDirectory.readKeys(nodeDir).publicKeys().signingRaw());

      ok(
          "credential",
          "status-list",
          "--issuer-key",
          tmp.resolve("issuer.jwk").toString(),
          "--status-url",
          STATUS_URL,
          "--out",
          tmp.resolve("status.jwt").toString());
      node.statusLists().refresh(Files.readString(tmp.resolve("status.jwt")));
      issueClinician();

      PeerClient client = gatewayClient(fed, gw);
      String base = "https://localhost:" + node.port();
      String token = logIn(client, base);
      assertThat(client.get(URI.create(base + "/me"), Optional.of(token)).statusCode())
          .isEqualTo(200);
      assertThat(client.get(URI.create(base + "/admin/whoami"), Optional.of(token)).statusCode())
          .isEqualTo(403);

      String version3 = Files.readString(fed.resolve(FederationDirectory.TRUST_LIST));
      ok("federation", "remove-node", "--dir", fed.toString(), "--node-id", "gateway");
      handOver(fed, nodeDir, "node-a");
      assertThat(refresher.refreshTrustList()).get().isInstanceOf(TrustListVerdict.Accepted.class);
      assertThat(node.trustList().current().version()).isEqualTo(4);
      assertThat(taken)
          .as("the list taken up is handed on, to be recorded in the ledger")
          .containsExactly(Files.readString(start.trustListFile()).strip());
      var change =
          (org.salus.core.ledger.event.LedgerEvent.TrustListChange)
              RunningNode.trustListChange(node.trustList().current(), taken.get(0));
      assertThat(change.trustListHash().hex())
          .isEqualTo(
              java.util.HexFormat.of()
                  .formatHex(
                      java.security.MessageDigest.getInstance("SHA-256")
                          .digest(
                              taken.get(0).getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
      assertThat(refused(client, URI.create(base + "/me"), token)).isTrue();

      // An older list dropped into the folder is refused; the node keeps version 4.
      Files.writeString(start.trustListFile(), version3);
      assertThat(refresher.refreshTrustList().orElseThrow())
          .isInstanceOfSatisfying(
              TrustListVerdict.Refused.class,
              r -> assertThat(r.refusal().code()).isEqualTo("trust-list.older"));
      assertThat(node.trustList().current().version()).isEqualTo(4);
      assertThat(taken).as("a refused list is not recorded").hasSize(1);
    }
  }

  @Test
  void startNamesTheMissingOperatorFile() throws Exception {
    Path nodeDir = tmp.resolve("node-b");
    ok("node", "init", "--dir", nodeDir.toString());
    ok("node", "join", "--dir", nodeDir.toString(), "--node-id", "node-b");
    assertThatThrownBy(() -> NodeFederation.load(nodeDir))
        .isInstanceOfSatisfying(
            SalusException.class, e -> assertThat(e.code()).isEqualTo("federation.missing-file"))
        .hasMessageContaining(FederationDirectory.TRUST_LIST);
    assertThat(Main.run("node", "start", "--dir", nodeDir.toString()))
        .isEqualTo(ErrorHandler.REFUSED);
    assertThat(Main.run("node", "join", "--dir", nodeDir.toString(), "--node-id", "node-b"))
        .as("a second join would replace the node's TLS key")
        .isEqualTo(ErrorHandler.REFUSED);
  }

  @Test
  void startRefusesATrustListThatNamesAnotherKeyForTheNode() throws Exception {
    Path fed = tmp.resolve("fed");
    Path nodeDir = tmp.resolve("node-c");
    Path other = tmp.resolve("other-keys");
    ok("federation", "init", "--dir", fed.toString(), "--id", "eu-health");
    ok("node", "init", "--dir", nodeDir.toString());
    ok("node", "join", "--dir", nodeDir.toString(), "--node-id", "node-c");
    ok("federation", "node-keys", "--out", other.toString(), "--node-id", "node-c");
    Path joined = nodeDir.resolve(NodeFederation.DIR);
    // The operator lists node-c with a signing key that is not the node's own.
    Files.copy(
        other.resolve(NodeKeyFiles.SIGNING_PUBLIC),
        joined.resolve(NodeKeyFiles.SIGNING_PUBLIC),
        StandardCopyOption.REPLACE_EXISTING);
    addNode(fed, joined, "node-c");
    handOver(fed, nodeDir, "node-c");
    NodeFederation.Start start = NodeFederation.load(nodeDir);
    assertThatThrownBy(
            () ->
                NodeFederation.start(start, new ServerSettings("localhost", 0), Clock.systemUTC()))
        .isInstanceOfSatisfying(
            SalusException.class, e -> assertThat(e.code()).isEqualTo("node.key-mismatch"));
  }

  @Test
  void listenIsHostColonPort() {
    assertThat(NodeStartCommand.parseListen("127.0.0.1:0"))
        .isEqualTo(new ServerSettings("127.0.0.1", 0));
    assertThatThrownBy(() -> NodeStartCommand.parseListen("8443"))
        .isInstanceOf(SalusException.class);
    assertThatThrownBy(() -> NodeStartCommand.parseListen("host:99999"))
        .isInstanceOf(SalusException.class);
  }

  /** A removed peer gets 401 on its kept-alive connection or cannot complete a new handshake. */
  private static boolean refused(PeerClient client, URI uri, String token) throws Exception {
    try {
      return client.get(uri, Optional.of(token)).statusCode() == 401;
    } catch (IOException e) {
      return true;
    }
  }

  private String logIn(PeerClient client, String base) throws Exception {
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
        tmp.resolve("clinician.sdjwt").toString(),
        "--holder-key",
        tmp.resolve("holder.jwk").toString(),
        "--reveal",
        "profession,country",
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

  private void issueClinician() {
    ok(
        "credential",
        "issue",
        "--issuer-id",
        "big-register",
        "--issuer-key",
        tmp.resolve("issuer.jwk").toString(),
        "--status-url",
        STATUS_URL,
        "--status-index",
        "5",
        "--role",
        "clinician",
        "--subject",
        "clin-1",
        "--claim",
        "profession=physician",
        "--claim",
        "licence_number=19-123",
        "--claim",
        "country=NL",
        "--holder-key",
        tmp.resolve("holder.pub.jwk").toString(),
        "--out",
        tmp.resolve("clinician.sdjwt").toString());
  }
}
