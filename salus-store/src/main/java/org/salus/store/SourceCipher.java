package org.salus.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.salus.core.keys.SecretBytes;

/**
 * AES-256-GCM (NIST SP 800-38D) for source documents: a fresh random 96-bit nonce per document, a
 * 128-bit tag, and the record key as associated data, so a ciphertext moved to another row does not
 * decrypt. Also seals recorded consents ({@code org.salus.store.consent}), with their own
 * associated data.
 */
public final class SourceCipher {

  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec key;
  private final SecureRandom random;

  SourceCipher(SecretBytes dataKey, SecureRandom random) {
    if (dataKey.length() != 32) {
      throw new IllegalArgumentException(
          "the data-encryption key must be 32 bytes (AES-256), got " + dataKey.length());
    }
    this.key = new SecretKeySpec(dataKey.toByteArray(), "AES");
    this.random = random;
  }

  /** A cipher under the node's 32-byte data-encryption key, with fresh nonces from the OS. */
  public static SourceCipher of(SecretBytes dataKey) {
    return new SourceCipher(dataKey, new SecureRandom());
  }

  /** A nonce and ciphertext (with tag); never compared or printed. */
  @SuppressWarnings("ArrayRecordComponent")
  public record Sealed(byte[] nonce, byte[] ciphertext) {}

  public Sealed seal(String recordKey, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance(TRANSFORMATION);
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(recordKey.getBytes(StandardCharsets.UTF_8));
      return new Sealed(nonce, c.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  public byte[] open(String recordKey, byte[] nonce, byte[] ciphertext) {
    try {
      Cipher c = Cipher.getInstance(TRANSFORMATION);
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(recordKey.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(ciphertext);
    } catch (GeneralSecurityException e) {
      // Says only that it failed: no detail for whoever tampered with it.
      throw new StoreException("store.source.decrypt-failed", "a source document did not decrypt");
    }
  }
}
