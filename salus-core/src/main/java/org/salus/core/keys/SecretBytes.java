package org.salus.core.keys;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Secret key bytes: never printed, compared in constant time. Not a record, so that no generated
 * {@code toString()} can leak the key into a log.
 */
public final class SecretBytes {

  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  /** Copies the given key bytes. */
  public static SecretBytes copyOf(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new SecretBytes(bytes);
  }

  /** Fresh random key bytes from the given source (a {@link SecureRandom} outside tests). */
  public static SecretBytes random(int length, SecureRandom random) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return new SecretBytes(b);
  }

  /** A copy of the key bytes. The caller owns it and should clear it after use. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecretBytes s && MessageDigest.isEqual(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    // Constant: a hash of the key would leak information about it.
    return SecretBytes.class.hashCode();
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }

  /** Overwrites the key bytes. The object is unusable afterwards. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }
}
