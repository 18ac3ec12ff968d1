package org.salus.server.trust;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import org.salus.core.error.SalusException;

/**
 * The operator's federation directory:
 *
 * <pre>
 * operator.jwk        operator Ed25519 private key (owner-only)
 * operator.pub.jwk    operator public key: give it to every node
 * ca.pem, ca-key.pem  federation CA certificate and private key (owner-only)
 * trust-list.jws      the current signed trust list
 * nodes/ID/tls.pem    TLS certificate issued to node ID
 * </pre>
 */
public final class FederationDirectory {

  public static final String OPERATOR_KEY = "operator.jwk";
  public static final String OPERATOR_PUBLIC_KEY = "operator.pub.jwk";
  public static final String CA_CERT = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String TRUST_LIST = "trust-list.jws";

  private FederationDirectory() {}

  /** Creates a federation in the empty or missing directory {@code dir}. */
  public static FederationOperator init(Path dir, String federationId, Clock clock)
      throws IOException {
    if (Files.exists(dir.resolve(OPERATOR_KEY))) {
      throw new FileAlreadyExistsException(
          dir.resolve(OPERATOR_KEY).toString(), null, "a federation already lives here");
    }
    Files.createDirectories(dir);
    FederationOperator op = FederationOperator.create(federationId, clock);
    writeSecret(dir.resolve(OPERATOR_KEY), op.operatorKey().toJSONString());
    Files.writeString(dir.resolve(OPERATOR_PUBLIC_KEY), op.operatorPublicKey().toJSONString());
    Files.writeString(dir.resolve(CA_CERT), Pem.certificate(op.ca().certificate()));
    writeSecret(dir.resolve(CA_KEY), Pem.privateKey(op.ca().privateKey()));
    save(dir, op);
    return op;
  }

  /** Loads the operator state; refuses a trust list the operator key does not verify. */
  public static FederationOperator open(Path dir, Clock clock) throws IOException {
    requireFile(dir.resolve(OPERATOR_KEY), "not a federation directory (run federation init)");
    OctetKeyPair key =
        Ed25519Keys.parse(
            Files.readString(dir.resolve(OPERATOR_KEY)), Curve.Ed25519, "operator key");
    FederationCa ca =
        new FederationCa(
            Pem.parseCertificate(Files.readString(dir.resolve(CA_CERT))),
            Pem.parseEcPrivateKey(Files.readString(dir.resolve(CA_KEY))));
    String jws = Files.readString(dir.resolve(TRUST_LIST));
    // The operator may re-sign an expired list, so expiry is not checked here.
    TrustListVerdict v =
        new TrustListVerifier(key.toPublicJWK())
            .verify(jws, Optional.empty(), TrustListCodecTime.issuedInstant(jws));
    return switch (v) {
      case TrustListVerdict.Accepted a -> new FederationOperator(key, ca, a.list(), clock);
      case TrustListVerdict.Refused r ->
          throw new SalusException(
              r.refusal().code(), dir.resolve(TRUST_LIST) + ": " + r.refusal().describe());
    };
  }

  /** Writes the current signed trust list. */
  public static Path save(Path dir, FederationOperator op) throws IOException {
    Path out = dir.resolve(TRUST_LIST);
    Files.writeString(out, op.signedTrustList() + "\n");
    return out;
  }

  /** Writes the TLS certificate issued to {@code nodeId}. */
  public static Path saveNodeCertificate(Path dir, String nodeId, X509Certificate cert)
      throws IOException {
    Path nodeDir = dir.resolve("nodes").resolve(nodeId);
    Files.createDirectories(nodeDir);
    Path out = nodeDir.resolve("tls.pem");
    Files.writeString(out, Pem.certificate(cert));
    return out;
  }

  static void writeSecret(Path file, String content) throws IOException {
    Files.writeString(file, content);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's own protection has to do.
    }
  }

  static void requireFile(Path file, String hint) {
    if (!Files.isRegularFile(file)) {
      throw new SalusException("federation.missing-file", file + " is missing: " + hint);
    }
  }
}
