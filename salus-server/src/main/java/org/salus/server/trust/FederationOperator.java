package org.salus.server.trust;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedIssuer;
import org.salus.core.trust.TrustedNodeEntry;

/**
 * The federation operator's tools: the operator signing key, the federation CA and the current
 * trust list. Each change admits or removes one thing and yields the next signed version.
 */
public final class FederationOperator {

  /** How long a trust list stays valid unless re-issued. */
  public static final Duration LIST_VALIDITY = Duration.ofDays(30);

  /** How long node TLS certificates and the CA are valid. */
  public static final Duration CERT_VALIDITY = Duration.ofDays(365);

  private final OctetKeyPair operatorKey;
  private final FederationCa ca;
  private final Clock clock;
  private TrustList current;

  public FederationOperator(
      OctetKeyPair operatorKey, FederationCa ca, TrustList current, Clock clock) {
    if (!operatorKey.isPrivate()) {
      throw new IllegalArgumentException("operator key must include the private part");
    }
    this.operatorKey = operatorKey;
    this.ca = ca;
    this.current = current;
    this.clock = clock;
  }

  /** A new federation: fresh operator key, fresh CA, empty trust list (version 0). */
  public static FederationOperator create(String federationId, Clock clock) {
    Instant now = clock.instant();
    return new FederationOperator(
        Ed25519Keys.newSigningKey("operator-" + federationId),
        FederationCa.create(federationId, now, CERT_VALIDITY),
        TrustList.empty(federationId, now, LIST_VALIDITY),
        clock);
  }

  /**
   * Admits a node: issues its TLS certificate for {@code tlsPublicKey} (SAN: node id and the host
   * of {@code baseUrl}) and lists it with its public keys.
   *
   * @return the TLS certificate issued
   */
  public X509Certificate admitNode(
      String id,
      String name,
      String country,
      String baseUrl,
      OctetKeyPair signingKey,
      OctetKeyPair agreementKey,
      PublicKey tlsPublicKey) {
    Instant now = clock.instant();
    X509Certificate cert =
        ca.issueNodeCertificate(
            id, java.net.URI.create(baseUrl).getHost(), tlsPublicKey, now, CERT_VALIDITY);
    TrustedNodeEntry entry =
        new TrustedNodeEntry(
            id,
            name,
            country,
            baseUrl,
            signingKey.toPublicJWK().toJSONString(),
            agreementKey.toPublicJWK().toJSONString(),
            Pem.certificate(cert),
            current.node(id).map(TrustedNodeEntry::acceptedIssuers).orElse(Set.of()));
    current = current.withNode(entry, now, LIST_VALIDITY);
    return cert;
  }

  public void removeNode(String id) {
    current = current.withoutNode(id, clock.instant(), LIST_VALIDITY);
  }

  /** Lists an issuer and makes the named nodes accept it. */
  public void addIssuer(TrustedIssuer issuer, Set<String> acceptingNodes) {
    current = current.withIssuer(issuer, acceptingNodes, clock.instant(), LIST_VALIDITY);
  }

  /** The current list, signed. */
  public String signedTrustList() {
    return new TrustListSigner(operatorKey).sign(current);
  }

  public TrustList current() {
    return current;
  }

  /** The operator's public key, which nodes verify trust lists with. */
  public OctetKeyPair operatorPublicKey() {
    return operatorKey.toPublicJWK();
  }

  public OctetKeyPair operatorKey() {
    return operatorKey;
  }

  public FederationCa ca() {
    return ca;
  }

  @Override
  public String toString() {
    return "FederationOperator[" + current.federationId() + " v" + current.version() + "]";
  }
}
