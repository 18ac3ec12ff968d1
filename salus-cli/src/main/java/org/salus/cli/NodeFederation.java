package org.salus.cli;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.EdECPrivateKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.salus.core.error.SalusException;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.http.NodeServices;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.FederationCa;
import org.salus.server.trust.FederationDirectory;
import org.salus.server.trust.NodeKeyFiles;
import org.salus.server.trust.Pem;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeKeys;

/**
 * A node directory's place in a federation: the folder {@code D/federation/}. One identity per
 * node: the Ed25519 key the trust list names is the key in {@code keys.json} that also signs the
 * node's ledger checkpoints.
 *
 * <pre>
 * written by salus node join (on the node)
 *   node-id                      the node's id in the trust list
 *   signing.pub.jwk              Ed25519 public key, from keys.json    -> operator
 *   x25519.pub.jwk               X25519 public key, from keys.json     -> operator
 *   tls.pub.pem                  P-256 TLS public key                  -> operator
 *   tls-key.pem                  P-256 TLS private key (PKCS#8, 0600, never leaves the node)
 * handed over by the operator
 *   trust-list.jws  operator.pub.jwk  ca.pem  tls.pem (fed/nodes/ID/tls.pem)
 * </pre>
 *
 * The private signing JWK is made from keys.json in memory when the node starts; it is never
 * written.
 */
final class NodeFederation {

  static final String DIR = "federation";
  static final String NODE_ID = "node-id";
  static final String TLS_CERT = "tls.pem";

  /** What the operator hands over, in the order a missing one is reported. */
  static final List<String> FROM_OPERATOR =
      List.of(
          FederationDirectory.TRUST_LIST,
          FederationDirectory.OPERATOR_PUBLIC_KEY,
          FederationDirectory.CA_CERT,
          TLS_CERT);

  private NodeFederation() {}

  /** The public files written by {@link #join}: what to send the operator. */
  record Joined(
      String nodeId, Path signingKey, Path agreementKey, Path tlsPublicKey, Path tlsPrivateKey) {}

  /** Everything a node needs to start, read from its directory. Holds no private key on disk. */
  record Start(
      String nodeId,
      org.salus.server.trust.NodeKeys keys,
      OctetKeyPair operatorKey,
      String trustListJws,
      Path trustListFile) {}

  static Path dir(Path nodeDir) {
    return nodeDir.resolve(DIR);
  }

  /** Writes the node's public keys and a fresh TLS key pair into {@code D/federation/}. */
  static Joined join(Path nodeDir, String nodeId) throws IOException {
    NodeKeys keys = NodeDirectory.readKeys(nodeDir);
    Path f = dir(nodeDir);
    if (Files.exists(f.resolve(NODE_ID))) {
      throw new SalusException(
          "node.already-joined",
          f + " already holds a federation identity; refusing to replace its keys");
    }
    Files.createDirectories(f);
    KeyPair tls = FederationCa.newEcKeyPair();
    writeOwnerOnly(f.resolve(NodeKeyFiles.TLS_KEY), Pem.privateKey(tls.getPrivate()));
    Files.writeString(f.resolve(NodeKeyFiles.TLS_PUBLIC), Pem.publicKey(tls.getPublic()));
    Files.writeString(
        f.resolve(NodeKeyFiles.SIGNING_PUBLIC), signingJwk(keys, nodeId, false).toJSONString());
    Files.writeString(
        f.resolve(NodeKeyFiles.AGREEMENT_PUBLIC), agreementJwk(keys, nodeId).toJSONString());
    // Last, so a failed join can be repeated.
    Files.writeString(f.resolve(NODE_ID), nodeId + "\n");
    return new Joined(
        nodeId,
        f.resolve(NodeKeyFiles.SIGNING_PUBLIC),
        f.resolve(NodeKeyFiles.AGREEMENT_PUBLIC),
        f.resolve(NodeKeyFiles.TLS_PUBLIC),
        f.resolve(NodeKeyFiles.TLS_KEY));
  }

  /**
   * The node's Ed25519 key as an OKP JWK (RFC 8037), {@code kid} = node id; with the private part
   * ({@code d}, the 32-byte seed of RFC 8032) only when {@code withPrivate}.
   */
  static OctetKeyPair signingJwk(NodeKeys keys, String nodeId, boolean withPrivate) {
    OctetKeyPair.Builder b =
        new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(keys.publicKeys().signingRaw()))
            .keyID(nodeId);
    if (withPrivate) {
      byte[] seed =
          ((EdECPrivateKey) keys.signingPrivateKey())
              .getBytes()
              .orElseThrow(() -> new IllegalStateException("the Ed25519 key hides its seed"));
      try {
        b.d(Base64URL.encode(seed));
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    }
    return b.build();
  }

  /** The node's X25519 public key as an OKP JWK, {@code kid} = node id + "-x25519". */
  static OctetKeyPair agreementJwk(NodeKeys keys, String nodeId) {
    return new OctetKeyPair.Builder(
            Curve.X25519, Base64URL.encode(keys.publicKeys().agreementRaw()))
        .keyID(nodeId + "-x25519")
        .build();
  }

  /**
   * Reads what {@code node start} needs; refuses a missing file by name, and a trust list that does
   * not name this node with the key in keys.json.
   */
  static Start load(Path nodeDir) throws IOException {
    NodeKeys keys = NodeDirectory.readKeys(nodeDir);
    Path f = dir(nodeDir);
    require(f.resolve(NODE_ID), "run salus node join first");
    require(f.resolve(NodeKeyFiles.TLS_KEY), "run salus node join first");
    for (String name : FROM_OPERATOR) {
      require(f.resolve(name), "the federation operator hands this file over");
    }
    String nodeId = Files.readString(f.resolve(NODE_ID)).strip();
    org.salus.server.trust.NodeKeys serverKeys =
        new org.salus.server.trust.NodeKeys(
            signingJwk(keys, nodeId, true),
            Pem.parseEcPrivateKey(Files.readString(f.resolve(NodeKeyFiles.TLS_KEY))),
            Pem.parseCertificate(Files.readString(f.resolve(TLS_CERT))),
            Pem.parseCertificate(Files.readString(f.resolve(FederationDirectory.CA_CERT))));
    OctetKeyPair operator =
        Ed25519Keys.parse(
            Files.readString(f.resolve(FederationDirectory.OPERATOR_PUBLIC_KEY)),
            Curve.Ed25519,
            FederationDirectory.OPERATOR_PUBLIC_KEY);
    Path trustList = f.resolve(FederationDirectory.TRUST_LIST);
    return new Start(nodeId, serverKeys, operator, Files.readString(trustList), trustList);
  }

  /** Starts the node's server; refuses when the trust list names another key for this node. */
  static TrustedNode start(Start s, ServerSettings listen, Clock clock) {
    return start(s, listen, clock, NodeServices.none());
  }

  /** As {@link #start(Start, ServerSettings, Clock)}, serving what {@code services} holds. */
  static TrustedNode start(Start s, ServerSettings listen, Clock clock, NodeServices services) {
    TrustedNode node =
        TrustedNode.start(
            s.nodeId(), s.keys(), s.operatorKey(), s.trustListJws(), listen, clock, services);
    try {
      requireListedWithOwnKey(node.trustList().current(), s);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private static void requireListedWithOwnKey(TrustList list, Start s) {
    TrustedNodeEntry entry =
        list.node(s.nodeId())
            .orElseThrow(
                () ->
                    new SalusException(
                        "trust.node-unknown",
                        "the trust list (version "
                            + list.version()
                            + ") does not name node "
                            + s.nodeId()));
    OctetKeyPair listed =
        Ed25519Keys.parse(entry.signingJwk(), Curve.Ed25519, "listed signing key");
    if (!listed.getX().equals(s.keys().signingKey().getX())) {
      throw new SalusException(
          "node.key-mismatch",
          "the trust list names another signing key for node "
              + s.nodeId()
              + " than this node's keys.json");
    }
  }

  private static void require(Path file, String hint) {
    if (!Files.isRegularFile(file)) {
      throw new SalusException("federation.missing-file", file + " is missing: " + hint);
    }
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file); // left by a join that failed before writing node-id
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
