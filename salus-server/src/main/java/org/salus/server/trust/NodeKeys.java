package org.salus.server.trust;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A node's private key material: Ed25519 signing key, TLS key and certificate, and the federation
 * CA certificate it trusts. Not a record, so no generated {@code toString()} prints a key.
 */
public final class NodeKeys {

  private final OctetKeyPair signingKey;
  private final PrivateKey tlsKey;
  private final X509Certificate tlsCertificate;
  private final X509Certificate federationCa;

  public NodeKeys(
      OctetKeyPair signingKey,
      PrivateKey tlsKey,
      X509Certificate tlsCertificate,
      X509Certificate federationCa) {
    if (!signingKey.isPrivate()) {
      throw new IllegalArgumentException("node signing key must include the private part");
    }
    this.signingKey = signingKey;
    this.tlsKey = tlsKey;
    this.tlsCertificate = tlsCertificate;
    this.federationCa = federationCa;
  }

  public OctetKeyPair signingKey() {
    return signingKey;
  }

  public PrivateKey tlsKey() {
    return tlsKey;
  }

  public X509Certificate tlsCertificate() {
    return tlsCertificate;
  }

  public X509Certificate federationCa() {
    return federationCa;
  }

  @Override
  public String toString() {
    return "NodeKeys[" + tlsCertificate.getSubjectX500Principal() + ", keys redacted]";
  }
}
