package org.salus.core.ledger.event;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.salus.core.keys.SecretBytes;
import org.salus.core.ledger.merkle.Hash;

/**
 * A patient's ledger salt: the key of the HMAC that turns a person key into a {@link SubjectId}.
 */
public final class SubjectSalt {

  /** Salt length in bytes (the HMAC-SHA256 block-size-independent key size of RFC 2104 §3). */
  public static final int LENGTH = 32;

  private final SecretBytes salt;

  private SubjectSalt(SecretBytes salt) {
    if (salt.length() != LENGTH) {
      throw new IllegalArgumentException("a subject salt has " + LENGTH + " bytes");
    }
    this.salt = salt;
  }

  public static SubjectSalt of(SecretBytes salt) {
    return new SubjectSalt(salt);
  }

  public static SubjectSalt random(SecureRandom random) {
    return new SubjectSalt(SecretBytes.random(LENGTH, random));
  }

  public SecretBytes secret() {
    return salt;
  }

  /** The subject id of the patient with this person key. */
  public SubjectId subjectOf(String personKey) {
    byte[] key = salt.toByteArray();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return new SubjectId(Hash.of(mac.doFinal(personKey.getBytes(StandardCharsets.UTF_8))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HMAC-SHA256", e);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "SubjectSalt[redacted]";
  }
}
