package org.salus.server.trust;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/**
 * A node's key files, generated on the node so that private keys never leave it:
 *
 * <pre>
 * signing.jwk / signing.pub.jwk   Ed25519 (messages, access tokens)
 * x25519.jwk  / x25519.pub.jwk    X25519 (key agreement)
 * tls-key.pem / tls.pub.pem       ECDSA P-256 (TLS); the operator certifies tls.pub.pem
 * </pre>
 */
public final class NodeKeyFiles {

  public static final String SIGNING = "signing.jwk";
  public static final String SIGNING_PUBLIC = "signing.pub.jwk";
  public static final String AGREEMENT = "x25519.jwk";
  public static final String AGREEMENT_PUBLIC = "x25519.pub.jwk";
  public static final String TLS_KEY = "tls-key.pem";
  public static final String TLS_PUBLIC = "tls.pub.pem";

  private NodeKeyFiles() {}

  /** Generates all key files for {@code nodeId} in {@code dir}; returns the public ones. */
  public static List<Path> generate(Path dir, String nodeId) throws IOException {
    Files.createDirectories(dir);
    for (String f : List.of(SIGNING, AGREEMENT, TLS_KEY)) {
      if (Files.exists(dir.resolve(f))) {
        throw new java.nio.file.FileAlreadyExistsException(
            dir.resolve(f).toString(), null, "refusing to overwrite a key");
      }
    }
    OctetKeyPair signing = Ed25519Keys.newSigningKey(nodeId);
    OctetKeyPair agreement = Ed25519Keys.newAgreementKey(nodeId + "-x25519");
    KeyPair tls = FederationCa.newEcKeyPair();
    FederationDirectory.writeSecret(dir.resolve(SIGNING), signing.toJSONString());
    FederationDirectory.writeSecret(dir.resolve(AGREEMENT), agreement.toJSONString());
    FederationDirectory.writeSecret(dir.resolve(TLS_KEY), Pem.privateKey(tls.getPrivate()));
    Files.writeString(dir.resolve(SIGNING_PUBLIC), signing.toPublicJWK().toJSONString());
    Files.writeString(dir.resolve(AGREEMENT_PUBLIC), agreement.toPublicJWK().toJSONString());
    Files.writeString(dir.resolve(TLS_PUBLIC), Pem.publicKey(tls.getPublic()));
    return List.of(
        dir.resolve(SIGNING_PUBLIC), dir.resolve(AGREEMENT_PUBLIC), dir.resolve(TLS_PUBLIC));
  }
}
