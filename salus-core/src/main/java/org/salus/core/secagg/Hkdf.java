package org.salus.core.secagg;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): extract a pseudorandom key, then expand it. */
public final class Hkdf {

  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /** RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an empty salt means HashLen zero bytes. */
  public static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
    byte[] key = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
    return mac(key).doFinal(inputKeyMaterial);
  }

  /** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM is the first L bytes. */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length < 0 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF output length must be in [0, 8160], was " + length);
    }
    Mac mac = mac(prk);
    byte[] out = new byte[length];
    byte[] previous = new byte[0];
    for (int i = 1, offset = 0; offset < length; i++) {
      mac.update(previous);
      mac.update(info);
      mac.update((byte) i);
      previous = mac.doFinal();
      int n = Math.min(HASH_LENGTH, length - offset);
      System.arraycopy(previous, 0, out, offset, n);
      offset += n;
    }
    return out;
  }

  /** Extract then expand. */
  public static byte[] derive(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
    return expand(extract(salt, inputKeyMaterial), info, length);
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable in this JDK", e);
    }
  }
}
