package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.salus.server.http.PeerClient;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.FederationDirectory;
import org.salus.server.trust.NodeKeyFiles;
import org.salus.server.trust.NodeTls;
import org.salus.server.trust.Pem;
import org.salus.server.trust.TrustListHolder;
import org.salus.server.trust.TrustListVerifier;

/** Steps the federation tests share: run a command that must succeed, admit a node, connect. */
final class FederationSteps {

  private FederationSteps() {}

  static void addNode(Path fed, Path keys, String id) {
    addNode(fed, keys, id, "NL");
  }

  /**
   * The operator admits node {@code id} of {@code country} with the public keys in {@code keys}.
   */
  static void addNode(Path fed, Path keys, String id, String country) {
    LocalFederation.admit(fed, id, "Node " + id, country, "https://localhost:8443", keys);
  }

  static PeerClient gatewayClient(Path fed, Path gw) throws Exception {
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

  static void ok(String... args) {
    assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
  }

  /**
   * The operator lists the issuer "big-register" accepted by node-a; keys written to {@code tmp}.
   */
  static void listIssuer(Path fed, Path tmp, String statusUrl) {
    ok("credential", "keys", "--out", tmp.resolve("issuer.jwk").toString(), "--kid", "big");
    ok("credential", "keys", "--out", tmp.resolve("holder.jwk").toString(), "--kid", "h");
    ok(
        "federation",
        "add-issuer",
        "--dir",
        fed.toString(),
        "--issuer-id",
        "big-register",
        "--name",
        "BIG register",
        "--kind",
        "professional_register",
        "--country",
        "NL",
        "--key",
        tmp.resolve("issuer.pub.jwk").toString(),
        "--status-url",
        statusUrl,
        "--accepted-by",
        "node-a");
  }

  /** What the operator gives a node, copied into its {@code federation/} folder. */
  static void handOver(Path fed, Path nodeDir, String nodeId) throws IOException {
    LocalFederation.handOver(fed, nodeDir, nodeId);
  }
}
