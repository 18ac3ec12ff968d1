package org.salus.core.trust;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.salus.core.error.SalusException;

/**
 * The bit string of an IETF Token Status List (draft-ietf-oauth-status-list, section 4.1): each
 * credential has an index; its status is {@code bits} wide (1, 2, 4 or 8); index {@code i} lives in
 * byte {@code i*bits/8}, least significant bits first; the bytes travel ZLIB-compressed (RFC 1950).
 * Status 0 is VALID, 1 INVALID (revoked), 2 SUSPENDED.
 */
public final class StatusBits {

  public static final int VALID = 0;
  public static final int INVALID = 1;
  public static final int SUSPENDED = 2;

  private final int bits;
  private final byte[] bytes;

  private StatusBits(int bits, byte[] bytes) {
    if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
      throw new IllegalArgumentException("status bits must be 1, 2, 4 or 8, not " + bits);
    }
    this.bits = bits;
    this.bytes = bytes;
  }

  /** A list of {@code capacity} statuses, all VALID. */
  public static StatusBits allValid(int bits, int capacity) {
    return new StatusBits(bits, new byte[(capacity * bits + 7) / 8]);
  }

  /** Decodes the ZLIB-compressed bytes of a status list. */
  public static StatusBits decompress(int bits, byte[] compressed) {
    Inflater inflater = new Inflater();
    inflater.setInput(compressed);
    byte[] buf = new byte[Math.max(64, compressed.length * 4)];
    byte[] out = new byte[0];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new SalusException("status-list.malformed", "status list is truncated");
        }
        out = append(out, buf, n);
      }
    } catch (DataFormatException e) {
      throw new SalusException("status-list.malformed", "status list is not ZLIB data", e);
    } finally {
      inflater.end();
    }
    return new StatusBits(bits, out);
  }

  public int bits() {
    return bits;
  }

  /** How many statuses the list holds. */
  public int capacity() {
    return bytes.length * 8 / bits;
  }

  /** The status at {@code index}; an index beyond the list is refused. */
  public int get(int index) {
    checkIndex(index);
    int bitPos = index * bits;
    int mask = (1 << bits) - 1;
    return (bytes[bitPos / 8] >> (bitPos % 8)) & mask;
  }

  /** A copy with the status at {@code index} set. */
  public StatusBits with(int index, int status) {
    checkIndex(index);
    if (status < 0 || status >= (1 << bits)) {
      throw new IllegalArgumentException("status " + status + " does not fit in " + bits + " bits");
    }
    byte[] next = bytes.clone();
    int bitPos = index * bits;
    int shift = bitPos % 8;
    int mask = ((1 << bits) - 1) << shift;
    next[bitPos / 8] = (byte) ((next[bitPos / 8] & ~mask) | (status << shift));
    return new StatusBits(bits, next);
  }

  /** The ZLIB-compressed bytes, as they go into the {@code lst} claim. */
  public byte[] compress() {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(bytes);
    deflater.finish();
    byte[] buf = new byte[256];
    byte[] out = new byte[0];
    while (!deflater.finished()) {
      int n = deflater.deflate(buf);
      out = append(out, buf, n);
    }
    deflater.end();
    return out;
  }

  private static byte[] append(byte[] head, byte[] tail, int n) {
    byte[] grown = Arrays.copyOf(head, head.length + n);
    System.arraycopy(tail, 0, grown, head.length, n);
    return grown;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= capacity()) {
      throw new SalusException(
          "status-list.index", "status index " + index + " is outside 0.." + (capacity() - 1));
    }
  }
}
