package org.salus.server.trust;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.salus.core.keys.SecretBytes;

/**
 * The federation's certificate authority (ECDSA P-256, which every JDK TLS 1.3 stack speaks).
 * Issues node TLS certificates whose subject alternative names carry the node id as {@code
 * urn:salus:node:<id>} and the host of the node's base URL (RFC 5280 section 4.2.1.6).
 */
public final class FederationCa {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  public FederationCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A fresh self-signed CA for {@code federationId}, valid for {@code validity}. */
  public static FederationCa create(String federationId, Instant now, Duration validity) {
    KeyPair kp = newEcKeyPair();
    X500Name name = new X500Name("CN=Salus federation " + federationId + " CA");
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name, serial(), Date.from(now), Date.from(now.plus(validity)), name, kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new FederationCa(sign(b, kp.getPrivate()), kp.getPrivate());
    } catch (CertIOException e) {
      throw new IllegalStateException("CA extensions cannot be encoded", e);
    }
  }

  /** A fresh ECDSA P-256 key pair, for a node's TLS. */
  public static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks ECDSA P-256", e);
    }
  }

  /** Issues a TLS certificate (server and client use) for a node. */
  public X509Certificate issueNodeCertificate(
      String nodeId, String host, PublicKey nodeKey, Instant now, Duration validity) {
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              certificate,
              serial(),
              Date.from(now),
              Date.from(now.plus(validity)),
              new X500Name("CN=" + nodeId),
              nodeKey);
      List<GeneralName> names = new ArrayList<>();
      names.add(new GeneralName(GeneralName.uniformResourceIdentifier, NodeIdentity.uri(nodeId)));
      names.add(
          host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")
              ? new GeneralName(GeneralName.iPAddress, host.replace("[", "").replace("]", ""))
              : new GeneralName(GeneralName.dNSName, host));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      return sign(b, key);
    } catch (CertIOException e) {
      throw new IllegalStateException("node certificate extensions cannot be encoded", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA private key as PKCS#8 bytes, for storing in the federation directory. */
  public SecretBytes privateKeyBytes() {
    return SecretBytes.copyOf(key.getEncoded());
  }

  PrivateKey privateKey() {
    return key;
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    } catch (OperatorCreationException | java.security.cert.CertificateException e) {
      throw new IllegalStateException("certificate cannot be signed", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM);
  }
}
