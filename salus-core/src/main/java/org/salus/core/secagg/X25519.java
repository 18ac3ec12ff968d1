package org.salus.core.secagg;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.salus.core.keys.SecretBytes;

/**
 * X25519 Diffie–Hellman (RFC 7748) over the JDK's {@code XDH} provider, with raw 32-byte keys so
 * that a private key can be Shamir-shared and a public key sent as plain bytes.
 */
public final class X25519 {

  /** Key length in bytes. */
  public static final int KEY_BYTES = 32;

  private static final byte[] BASE_POINT = basePoint();

  private X25519() {}

  /** A key pair: the private scalar (secret) and its public u-coordinate. Not a record (secret). */
  public static final class KeyPair {
    private final SecretBytes privateKey;
    private final byte[] publicKey;

    KeyPair(SecretBytes privateKey, byte[] publicKey) {
      this.privateKey = privateKey;
      this.publicKey = publicKey.clone();
    }

    public SecretBytes privateKey() {
      return privateKey;
    }

    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public String toString() {
      return "X25519.KeyPair[redacted]";
    }
  }

  /** A fresh key pair from the given randomness. */
  public static KeyPair generate(SecureRandom random) {
    SecretBytes privateKey = SecretBytes.random(KEY_BYTES, random);
    return new KeyPair(privateKey, publicKeyOf(privateKey));
  }

  /** The public key of a private scalar: X25519(k, 9) (RFC 7748 §6.1). */
  public static byte[] publicKeyOf(SecretBytes privateKey) {
    return agree(privateKey, BASE_POINT);
  }

  /** The shared secret X25519(k, u); fails for a low-order peer key (all-zero output). */
  public static byte[] agree(SecretBytes privateKey, byte[] peerPublicKey) {
    if (peerPublicKey.length != KEY_BYTES) {
      throw new SecAggException("secagg.key.invalid", "X25519 public key must be 32 bytes");
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      byte[] scalar = privateKey.toByteArray();
      PrivateKey priv =
          factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
      java.util.Arrays.fill(scalar, (byte) 0);
      PublicKey pub =
          factory.generatePublic(
              new XECPublicKeySpec(NamedParameterSpec.X25519, littleEndian(peerPublicKey)));
      KeyAgreement agreement = KeyAgreement.getInstance("X25519");
      agreement.init(priv);
      agreement.doPhase(pub, true);
      return agreement.generateSecret();
    } catch (GeneralSecurityException e) {
      throw new SecAggException("secagg.key.agreement-failed", "X25519 key agreement failed", e);
    }
  }

  private static BigInteger littleEndian(byte[] bytes) {
    byte[] reversed = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      reversed[i] = bytes[bytes.length - 1 - i];
    }
    // RFC 7748 §5: the most significant bit of the final byte is masked.
    reversed[0] &= 0x7f;
    return new BigInteger(1, reversed);
  }

  private static byte[] basePoint() {
    byte[] u = new byte[KEY_BYTES];
    u[0] = 9;
    return u;
  }
}
