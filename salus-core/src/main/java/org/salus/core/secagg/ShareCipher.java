package org.salus.core.secagg;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.salus.core.keys.SecretBytes;

/**
 * AES-256-GCM encryption of the two shares one participant gives another (Bonawitz et al. 2017,
 * Fig. 4, ShareKeys: {@code c = AE.enc(KA.agree(c_u^SK, c_v^PK), u || v || s_u^SK share || b_u
 * share)}). The round id and both identities are authenticated as associated data, so a ciphertext
 * cannot be replayed into another round or redirected to another recipient.
 */
final class ShareCipher {

  /** The pair of shares in one ciphertext. */
  record SharePair(ShamirShare secretKey, ShamirShare selfMask) {}

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int FIELD_BYTES = 66; // 521 bits

  private ShareCipher() {}

  static byte[] encrypt(
      SecretBytes key, byte[] roundId, int from, int to, SharePair shares, SecureRandom random) {
    ByteBuffer plain = ByteBuffer.allocate(8 + 2 * FIELD_BYTES);
    plain.putInt(from).putInt(to);
    plain.put(fixed(shares.secretKey().y())).put(fixed(shares.selfMask().y()));
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher gcm = cipher(Cipher.ENCRYPT_MODE, key, nonce, roundId, from, to);
      byte[] sealed = gcm.doFinal(plain.array());
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  static SharePair decrypt(SecretBytes key, byte[] roundId, int from, int to, byte[] ciphertext) {
    try {
      if (ciphertext.length < NONCE_BYTES) {
        throw new GeneralSecurityException("short");
      }
      byte[] nonce = java.util.Arrays.copyOf(ciphertext, NONCE_BYTES);
      Cipher gcm = cipher(Cipher.DECRYPT_MODE, key, nonce, roundId, from, to);
      ByteBuffer plain =
          ByteBuffer.wrap(gcm.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES));
      if (plain.remaining() != 8 + 2 * FIELD_BYTES
          || plain.getInt() != from
          || plain.getInt() != to) {
        throw new GeneralSecurityException("bad plaintext");
      }
      byte[] a = new byte[FIELD_BYTES];
      byte[] b = new byte[FIELD_BYTES];
      plain.get(a).get(b);
      return new SharePair(
          new ShamirShare(to, new BigInteger(1, a)), new ShamirShare(to, new BigInteger(1, b)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // Say only that it failed (STYLE: no detail for what may be an attack).
      throw new SecAggException(
          "secagg.share.decryption-failed",
          "share from participant " + from + " failed to decrypt");
    }
  }

  private static Cipher cipher(
      int mode, SecretBytes key, byte[] nonce, byte[] roundId, int from, int to)
      throws GeneralSecurityException {
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] k = key.toByteArray();
    gcm.init(mode, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    java.util.Arrays.fill(k, (byte) 0);
    gcm.updateAAD(
        ByteBuffer.allocate(roundId.length + 8).put(roundId).putInt(from).putInt(to).array());
    return gcm;
  }

  private static byte[] fixed(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[FIELD_BYTES];
    int n = Math.min(raw.length, FIELD_BYTES);
    System.arraycopy(raw, raw.length - n, out, FIELD_BYTES - n, n);
    return out;
  }
}
