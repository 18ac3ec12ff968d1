package org.salus.core.ledger.merkle;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A SHA-256 digest: 32 immutable bytes, compared by value. */
public final class Hash {

  /** The length of every hash in the tree (RFC 9162 §2.1 with SHA-256). */
  public static final int SIZE = 32;

  private final byte[] bytes;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies 32 bytes into a hash. */
  public static Hash of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("a hash has " + SIZE + " bytes, got " + bytes.length);
    }
    return new Hash(bytes.clone());
  }

  /** Takes ownership of a fresh digest array without copying; callers must not keep it. */
  static Hash wrap(byte[] bytes) {
    return new Hash(bytes);
  }

  public static Hash fromBase64(String base64) {
    return of(Base64.getDecoder().decode(base64));
  }

  public static Hash fromHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Writes the 32 bytes into {@code out} at {@code offset}. */
  public void copyInto(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, SIZE);
  }

  /** Feeds the bytes to a digest without copying. */
  void updateDigest(MessageDigest digest) {
    digest.update(bytes);
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hash h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
