package org.salus.core.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 digest (FIPS 180-4) identifying a consent state: a consent version, the node defaults,
 * or a cohort's consents together. Immutable; ordered by its bytes, unsigned.
 */
public final class SnapshotHash implements Comparable<SnapshotHash> {

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private SnapshotHash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The SHA-256 of the UTF-8 bytes of a canonical text. */
  public static SnapshotHash ofCanonical(String canonical) {
    return new SnapshotHash(sha256().digest(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  /** Parses 64 hex digits. */
  public static SnapshotHash fromHex(String hex) {
    byte[] b = HEX.parseHex(hex);
    if (b.length != 32) {
      throw new ConsentException(
          "consent.hash.invalid", "a snapshot hash has 32 bytes, got " + b.length);
    }
    return new SnapshotHash(b);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  static SnapshotHash ofDigest(byte[] digest) {
    return new SnapshotHash(digest.clone());
  }

  /** Feeds the 32 bytes into a digest. */
  void updateInto(MessageDigest digest) {
    digest.update(bytes);
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public int compareTo(SnapshotHash other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SnapshotHash h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "sha256:" + hex();
  }
}
