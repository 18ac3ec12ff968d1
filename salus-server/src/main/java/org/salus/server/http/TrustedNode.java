package org.salus.server.http;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import org.salus.server.credential.CredentialVerifier;
import org.salus.server.credential.Nonces;
import org.salus.server.credential.StatusListCache;
import org.salus.server.login.AccessTokens;
import org.salus.server.login.LoginService;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.NodeKeys;
import org.salus.server.trust.NodeTls;
import org.salus.server.trust.Pem;
import org.salus.server.trust.TrustListHolder;
import org.salus.server.trust.TrustListVerifier;

/**
 * A running node with its trust layer: trust list, mutual TLS, login and the guarded route table.
 * Status lists are fed through {@link #statusLists()}; a newer trust list through {@link
 * #trustList()}.
 */
public final class TrustedNode implements AutoCloseable {

  /** How long a login nonce may be used. */
  public static final Duration NONCE_LIFETIME = Duration.ofMinutes(5);

  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

  private final String nodeId;
  private final TrustListHolder trustList;
  private final StatusListCache statusLists;
  private final NodeTls tls;
  private final NodeServer server;

  private TrustedNode(
      String nodeId,
      TrustListHolder trustList,
      StatusListCache statusLists,
      NodeTls tls,
      NodeServer server) {
    this.nodeId = nodeId;
    this.trustList = trustList;
    this.statusLists = statusLists;
    this.tls = tls;
    this.server = server;
  }

  /** Starts a node from files. */
  public static TrustedNode start(TrustedNodeConfig config) throws IOException {
    OctetKeyPair operator =
        Ed25519Keys.parse(Files.readString(config.operatorKey()), Curve.Ed25519, "operator key");
    NodeKeys keys =
        new NodeKeys(
            Ed25519Keys.parse(
                Files.readString(config.signingKey()), Curve.Ed25519, "node signing key"),
            Pem.parseEcPrivateKey(Files.readString(config.tlsKey())),
            Pem.parseCertificate(Files.readString(config.tlsCertificate())),
            Pem.parseCertificate(Files.readString(config.federationCa())));
    return start(
        config.nodeId(),
        keys,
        operator,
        Files.readString(config.trustList()),
        config.listen(),
        Clock.systemUTC());
  }

  /** Starts a node from key material in memory, serving nothing beyond login and status. */
  public static TrustedNode start(
      String nodeId,
      NodeKeys keys,
      OctetKeyPair operatorPublicKey,
      String trustListJws,
      ServerSettings listen,
      Clock clock) {
    return start(nodeId, keys, operatorPublicKey, trustListJws, listen, clock, NodeServices.none());
  }

  /**
   * Starts a node from key material in memory, serving what {@code services} holds: patient
   * records, its ledger, its side of federated studies and a hub, with login nonces kept where
   * {@code services} says.
   */
  public static TrustedNode start(
      String nodeId,
      NodeKeys keys,
      OctetKeyPair operatorPublicKey,
      String trustListJws,
      ServerSettings listen,
      Clock clock,
      NodeServices services) {
    TrustListHolder trust =
        TrustListHolder.load(new TrustListVerifier(operatorPublicKey), trustListJws, clock);
    NodeTls tls = NodeTls.create(keys.federationCa(), keys.tlsCertificate(), keys.tlsKey(), trust);
    StatusListCache status = new StatusListCache(trust, clock);
    Nonces nonces = new Nonces(clock, NONCE_LIFETIME, services.nonces());
    AccessTokens tokens = new AccessTokens(nodeId, keys.signingKey(), clock, TOKEN_LIFETIME);
    LoginService login =
        new LoginService(
            nonces, new CredentialVerifier(nodeId, trust, status, nonces, clock), tokens);
    Guard guard = new Guard(NodeRoutes.TABLE, trust, tokens, status);
    NodeServer server =
        NodeServer.start(
            listen,
            tls,
            NodeRoutes.TABLE,
            NodeRoutes.handlers(
                nodeId,
                trust,
                login,
                services.records(),
                services.ledger(),
                services.studies(),
                services.hub()),
            guard);
    return new TrustedNode(nodeId, trust, status, tls, server);
  }

  public String nodeId() {
    return nodeId;
  }

  public TrustListHolder trustList() {
    return trustList;
  }

  public StatusListCache statusLists() {
    return statusLists;
  }

  /** The node's TLS context, for its own outgoing {@link PeerClient}. */
  public NodeTls tls() {
    return tls;
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
