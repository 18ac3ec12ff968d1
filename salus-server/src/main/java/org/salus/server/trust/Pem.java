package org.salus.server.trust;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.salus.core.error.SalusException;

/**
 * PEM (RFC 7468) for certificates and EC keys: {@code CERTIFICATE}, {@code PUBLIC KEY}, {@code
 * PRIVATE KEY}.
 */
public final class Pem {

  private Pem() {}

  public static String certificate(X509Certificate cert) {
    try {
      return encode("CERTIFICATE", cert.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  public static String publicKey(PublicKey key) {
    return encode("PUBLIC KEY", key.getEncoded());
  }

  public static String privateKey(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  public static X509Certificate parseCertificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(decode("CERTIFICATE", pem)));
    } catch (CertificateException e) {
      throw new SalusException("pem.invalid", "not an X.509 certificate", e);
    }
  }

  public static PublicKey parseEcPublicKey(String pem) {
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(decode("PUBLIC KEY", pem)));
    } catch (GeneralSecurityException e) {
      throw new SalusException("pem.invalid", "not an EC public key", e);
    }
  }

  public static PrivateKey parseEcPrivateKey(String pem) {
    try {
      return KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(decode("PRIVATE KEY", pem)));
    } catch (GeneralSecurityException e) {
      throw new SalusException("pem.invalid", "not an EC private key (PKCS#8)", e);
    }
  }

  private static String encode(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  private static byte[] decode(String label, String pem) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new SalusException("pem.invalid", "expected a PEM block labelled " + label);
    }
    String body = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException ex) {
      throw new SalusException("pem.invalid", "PEM block " + label + " is not base64", ex);
    }
  }
}
