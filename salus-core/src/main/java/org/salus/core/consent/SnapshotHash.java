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

  /** Low bits of a sort key that hold the index (see {@link #updateSorted}). */
  private static final long INDEX_MASK = (1L << 24) - 1;

  private final byte[] bytes;

  /** The first eight bytes, big-endian: compared unsigned, it orders like the bytes do. */
  private final long prefix;

  private SnapshotHash(byte[] bytes) {
    this.bytes = bytes;
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = (p << 8) | (bytes[i] & 0xFF);
    }
    this.prefix = p;
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

  /**
   * Feeds the hashes into the digest in ascending order without sorting objects: a primitive sort
   * of keys holding the top 40 bits of each hash (sign-flipped, so signed order is unsigned order)
   * and the index in the low 24 bits, then a full comparison inside the rare runs of equal top
   * bits. Bytes go to the digest in 32 KiB blocks.
   */
  static void updateSorted(SnapshotHash[] hashes, MessageDigest digest) {
    int n = hashes.length;
    if (n >= INDEX_MASK) {
      SnapshotHash[] sorted = hashes.clone();
      Arrays.sort(sorted);
      feed(sorted, digest);
      return;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((hashes[i].prefix ^ Long.MIN_VALUE) & ~INDEX_MASK) | i;
    }
    Arrays.sort(keys);
    SnapshotHash[] sorted = new SnapshotHash[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = hashes[(int) (keys[i] & INDEX_MASK)];
    }
    for (int start = 0; start < n; ) {
      int end = start + 1;
      while (end < n && (keys[end] & ~INDEX_MASK) == (keys[start] & ~INDEX_MASK)) {
        end++;
      }
      if (end - start > 1) {
        Arrays.sort(sorted, start, end);
      }
      start = end;
    }
    feed(sorted, digest);
  }

  private static void feed(SnapshotHash[] sorted, MessageDigest digest) {
    byte[] block = new byte[32 * 1024];
    int used = 0;
    for (SnapshotHash h : sorted) {
      if (used == block.length) {
        digest.update(block, 0, used);
        used = 0;
      }
      System.arraycopy(h.bytes, 0, block, used, 32);
      used += 32;
    }
    digest.update(block, 0, used);
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
    int byPrefix = Long.compareUnsigned(prefix, other.prefix);
    return byPrefix != 0 ? byPrefix : Arrays.compareUnsigned(bytes, other.bytes);
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
