package org.salus.store.node;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.salus.core.keys.SecretBytes;

/**
 * A node's key material, all from the JDK: an Ed25519 signing key pair (RFC 8032), an X25519
 * key-agreement key pair (RFC 7748), a 32-byte pseudonymisation secret (HMAC key for person and
 * record keys) and a 32-byte AES-256 data-encryption key (source documents). Private parts are
 * {@link SecretBytes}; {@link #toString()} shows only public keys.
 */
public final class NodeKeys {

  static final String SIGNING = "Ed25519";
  static final String AGREEMENT = "X25519";

  private final PublicKey signingPublic;
  private final SecretBytes signingPrivate;
  private final PublicKey agreementPublic;
  private final SecretBytes agreementPrivate;
  private final SecretBytes pseudonymSecret;
  private final SecretBytes dataKey;

  NodeKeys(
      PublicKey signingPublic,
      SecretBytes signingPrivate,
      PublicKey agreementPublic,
      SecretBytes agreementPrivate,
      SecretBytes pseudonymSecret,
      SecretBytes dataKey) {
    this.signingPublic = Objects.requireNonNull(signingPublic);
    this.signingPrivate = Objects.requireNonNull(signingPrivate);
    this.agreementPublic = Objects.requireNonNull(agreementPublic);
    this.agreementPrivate = Objects.requireNonNull(agreementPrivate);
    this.pseudonymSecret = requireLength(pseudonymSecret, "pseudonymisation secret");
    this.dataKey = requireLength(dataKey, "data-encryption key");
  }

  /** Fresh keys from {@code random} (a {@link SecureRandom}; seeded only in tests). */
  public static NodeKeys generate(SecureRandom random) {
    KeyPair signing = pair(SIGNING, random);
    KeyPair agreement = pair(AGREEMENT, random);
    return new NodeKeys(
        signing.getPublic(),
        SecretBytes.copyOf(signing.getPrivate().getEncoded()),
        agreement.getPublic(),
        SecretBytes.copyOf(agreement.getPrivate().getEncoded()),
        SecretBytes.random(32, random),
        SecretBytes.random(32, random));
  }

  private static KeyPair pair(String algorithm, SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      g.initialize(255, random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available in this JDK", e);
    }
  }

  private static SecretBytes requireLength(SecretBytes s, String what) {
    if (s.length() != 32) {
      throw new IllegalArgumentException(what + " must be 32 bytes, got " + s.length());
    }
    return s;
  }

  public PublicKey signingPublicKey() {
    return signingPublic;
  }

  /** The Ed25519 private key, decoded from its PKCS#8 bytes. */
  public PrivateKey signingPrivateKey() {
    return privateKey(SIGNING, signingPrivate);
  }

  public PublicKey agreementPublicKey() {
    return agreementPublic;
  }

  /** The X25519 private key, decoded from its PKCS#8 bytes. */
  public PrivateKey agreementPrivateKey() {
    return privateKey(AGREEMENT, agreementPrivate);
  }

  /** The PKCS#8 encoding of the signing private key. */
  SecretBytes signingPrivateEncoded() {
    return signingPrivate;
  }

  /** The PKCS#8 encoding of the key-agreement private key. */
  SecretBytes agreementPrivateEncoded() {
    return agreementPrivate;
  }

  /** The HMAC key of the node's pseudonymizer. */
  public SecretBytes pseudonymSecret() {
    return pseudonymSecret;
  }

  /** The AES-256 key that encrypts source documents. */
  public SecretBytes dataKey() {
    return dataKey;
  }

  /** The public halves, safe to publish. */
  public PublicKeys publicKeys() {
    return new PublicKeys(signingPublic, agreementPublic);
  }

  static PublicKey publicKey(String algorithm, byte[] x509) throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(x509));
  }

  private static PrivateKey privateKey(String algorithm, SecretBytes pkcs8) {
    byte[] bytes = pkcs8.toByteArray();
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored " + algorithm + " private key is invalid", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * A node's public keys.
   *
   * @param signing Ed25519
   * @param agreement X25519
   */
  public record PublicKeys(PublicKey signing, PublicKey agreement) {

    /** The 32-byte raw Ed25519 key (RFC 8032 encoding): the end of its X.509 encoding. */
    public byte[] signingRaw() {
      return raw(signing);
    }

    /** The 32-byte raw X25519 key (RFC 7748 encoding). */
    public byte[] agreementRaw() {
      return raw(agreement);
    }

    private static byte[] raw(PublicKey key) {
      byte[] spki = key.getEncoded();
      return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    @Override
    public String toString() {
      Base64.Encoder b64 = Base64.getEncoder();
      return "PublicKeys[signing="
          + b64.encodeToString(signingRaw())
          + ", agreement="
          + b64.encodeToString(agreementRaw())
          + "]";
    }
  }

  @Override
  public String toString() {
    return "NodeKeys[" + publicKeys() + ", private keys and secrets redacted]";
  }
}
