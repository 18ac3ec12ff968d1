package org.salus.core.secagg;

/**
 * Arithmetic modulo p = 2^255 − 19 for {@link X25519}, in the representation of the ref10 code of
 * Bernstein et al.: ten signed 64-bit limbs of alternately 26 and 25 bits (limb i weighs
 * 2^⌈25.5·i⌉). No operation branches on or indexes by limb values, so the time taken does not
 * depend on secrets.
 *
 * <p>Bounds: {@link #mul} and {@link #square} leave limb i in [0, 2^26) for even and [0, 2^25) for
 * odd i, except limb 1, which may be off by up to 2^16; they accept limbs of absolute value below
 * 2^27 (even i) and 2^26 + 2^17 (odd i), so the sum or difference of two such results may be fed to
 * them without a carry (every column sum then stays below 2^61; see the generator note in the
 * test). The products were generated mechanically (a 19 for every wrap past 2^255, a 2 where two
 * odd limbs meet).
 */
final class Field25519 {

  static final int LIMBS = 10;

  private Field25519() {}

  /** The field element of a 32-byte little-endian string, its top bit ignored (RFC 7748 §5). */
  static long[] fromBytes(byte[] s) {
    long[] h = new long[LIMBS];
    h[0] = load(s, 0, 26);
    h[1] = load(s, 26, 25);
    h[2] = load(s, 51, 26);
    h[3] = load(s, 77, 25);
    h[4] = load(s, 102, 26);
    h[5] = load(s, 128, 25);
    h[6] = load(s, 153, 26);
    h[7] = load(s, 179, 25);
    h[8] = load(s, 204, 26);
    h[9] = load(s, 230, 25);
    return h;
  }

  /** Bits [bit, bit + width) of the little-endian string s. */
  private static long load(byte[] s, int bit, int width) {
    long v = 0;
    int first = bit >>> 3;
    for (int i = Math.min(31, first + 4); i >= first; i--) {
      v = (v << 8) | (s[i] & 0xffL);
    }
    return (v >>> (bit & 7)) & ((1L << width) - 1);
  }

  /** The canonical 32-byte little-endian encoding, in [0, p). */
  static byte[] toBytes(long[] f) {
    long[] h = f.clone();
    carry(h, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9]);
    // Now −2^42 < h < 2^255 + 2^42. Subtract q·p for q = ⌊(h + 19) / 2^255⌋ ∈ {−1, 0, 1},
    // leaving −19 ≤ h < p; then add p and subtract it again where that reaches p.
    subtractMultipleOfP(h);
    h[0] += (1L << 26) - 19;
    for (int i = 1; i < LIMBS; i++) {
      h[i] += (1L << width(i)) - 1;
    }
    subtractMultipleOfP(h);
    byte[] out = new byte[32];
    long acc = 0;
    int bits = 0;
    int o = 0;
    for (int i = 0; i < LIMBS; i++) {
      acc |= h[i] << bits;
      bits += width(i);
      while (bits >= 8) {
        out[o++] = (byte) acc;
        acc >>>= 8;
        bits -= 8;
      }
    }
    out[31] = (byte) acc;
    java.util.Arrays.fill(h, 0);
    return out;
  }

  /**
   * h − q·p with q = ⌊(h + 19) / 2^255⌋ computed exactly by a floor carry chain; the result is
   * carried into limb ranges without wrapping, the top limb keeping any sign.
   */
  private static void subtractMultipleOfP(long[] h) {
    long q = (h[0] + 19) >> 26;
    for (int i = 1; i < LIMBS; i++) {
      q = (h[i] + q) >> width(i);
    }
    h[0] += 19 * q;
    h[9] -= q << 25;
    for (int i = 0; i < LIMBS - 1; i++) {
      long c = h[i] >> width(i);
      h[i] -= c << width(i);
      h[i + 1] += c;
    }
  }

  private static int width(int i) {
    return 26 - (i & 1);
  }

  static long[] zero() {
    return new long[LIMBS];
  }

  static long[] one() {
    long[] h = new long[LIMBS];
    h[0] = 1;
    return h;
  }

  static void copy(long[] h, long[] f) {
    System.arraycopy(f, 0, h, 0, LIMBS);
  }

  /** h = f + g, no carry. */
  static void add(long[] h, long[] f, long[] g) {
    for (int i = 0; i < LIMBS; i++) {
      h[i] = f[i] + g[i];
    }
  }

  /** h = f − g, no carry (limbs are signed). */
  static void sub(long[] h, long[] f, long[] g) {
    for (int i = 0; i < LIMBS; i++) {
      h[i] = f[i] - g[i];
    }
  }

  /** h = 121665 · f (RFC 7748's a24 = (486662 − 2) / 4), carried. */
  static void mul121665(long[] h, long[] f) {
    carry(
        h,
        121665 * f[0],
        121665 * f[1],
        121665 * f[2],
        121665 * f[3],
        121665 * f[4],
        121665 * f[5],
        121665 * f[6],
        121665 * f[7],
        121665 * f[8],
        121665 * f[9]);
  }

  /** Swaps f and g when b is 1, leaves them when b is 0, without branching on b. */
  static void cswap(long[] f, long[] g, int b) {
    long mask = -(long) b;
    for (int i = 0; i < LIMBS; i++) {
      long x = mask & (f[i] ^ g[i]);
      f[i] ^= x;
      g[i] ^= x;
    }
  }

  /** h = 1 / z = z^(p − 2) (zero for zero), by the addition chain of ref10. */
  static void invert(long[] h, long[] z) {
    long[] z2 = new long[LIMBS];
    long[] z9 = new long[LIMBS];
    long[] z11 = new long[LIMBS];
    long[] t = new long[LIMBS];
    long[] a = new long[LIMBS];
    long[] b = new long[LIMBS];
    long[] c = new long[LIMBS];
    square(z2, z); // 2
    square(t, z2); // 4
    square(t, t); // 8
    mul(z9, t, z); // 9
    mul(z11, z9, z2); // 11
    square(t, z11); // 22
    mul(a, t, z9); // 2^5 − 1
    squareTimes(t, a, 5);
    mul(b, t, a); // 2^10 − 1
    squareTimes(t, b, 10);
    mul(c, t, b); // 2^20 − 1
    squareTimes(t, c, 20);
    mul(t, t, c); // 2^40 − 1
    squareTimes(t, t, 10);
    mul(a, t, b); // 2^50 − 1
    squareTimes(t, a, 50);
    mul(b, t, a); // 2^100 − 1
    squareTimes(t, b, 100);
    mul(t, t, b); // 2^200 − 1
    squareTimes(t, t, 50);
    mul(t, t, a); // 2^250 − 1
    squareTimes(t, t, 5); // 2^255 − 2^5
    mul(h, t, z11); // 2^255 − 21
    for (long[] x : new long[][] {z2, z9, z11, t, a, b, c}) {
      java.util.Arrays.fill(x, 0);
    }
  }

  private static void squareTimes(long[] h, long[] f, int n) {
    square(h, f);
    for (int i = 1; i < n; i++) {
      square(h, h);
    }
  }

  /**
   * Carries ten column sums into limb ranges, folding the carry out of limb 9 as 19 into limb 0.
   */
  private static void carry(
      long[] h,
      long h0,
      long h1,
      long h2,
      long h3,
      long h4,
      long h5,
      long h6,
      long h7,
      long h8,
      long h9) {
    long c;
    c = h0 >> 26;
    h1 += c;
    h0 -= c << 26;
    c = h1 >> 25;
    h2 += c;
    h1 -= c << 25;
    c = h2 >> 26;
    h3 += c;
    h2 -= c << 26;
    c = h3 >> 25;
    h4 += c;
    h3 -= c << 25;
    c = h4 >> 26;
    h5 += c;
    h4 -= c << 26;
    c = h5 >> 25;
    h6 += c;
    h5 -= c << 25;
    c = h6 >> 26;
    h7 += c;
    h6 -= c << 26;
    c = h7 >> 25;
    h8 += c;
    h7 -= c << 25;
    c = h8 >> 26;
    h9 += c;
    h8 -= c << 26;
    c = h9 >> 25;
    h0 += 19 * c;
    h9 -= c << 25;
    c = h0 >> 26;
    h1 += c;
    h0 -= c << 26;
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
    h[4] = h4;
    h[5] = h5;
    h[6] = h6;
    h[7] = h7;
    h[8] = h8;
    h[9] = h9;
  }

  /** h = f · g (h may be f or g). */
  static void mul(long[] h, long[] f, long[] g) {
    long f0 = f[0];
    long f1 = f[1];
    long f2 = f[2];
    long f3 = f[3];
    long f4 = f[4];
    long f5 = f[5];
    long f6 = f[6];
    long f7 = f[7];
    long f8 = f[8];
    long f9 = f[9];
    long g0 = g[0];
    long g1 = g[1];
    long g2 = g[2];
    long g3 = g[3];
    long g4 = g[4];
    long g5 = g[5];
    long g6 = g[6];
    long g7 = g[7];
    long g8 = g[8];
    long g9 = g[9];
    long g1x2 = 2 * g1;
    long g1x38 = 38 * g1;
    long g2x19 = 19 * g2;
    long g3x2 = 2 * g3;
    long g3x19 = 19 * g3;
    long g3x38 = 38 * g3;
    long g4x19 = 19 * g4;
    long g5x2 = 2 * g5;
    long g5x19 = 19 * g5;
    long g5x38 = 38 * g5;
    long g6x19 = 19 * g6;
    long g7x2 = 2 * g7;
    long g7x19 = 19 * g7;
    long g7x38 = 38 * g7;
    long g8x19 = 19 * g8;
    long g9x19 = 19 * g9;
    long g9x38 = 38 * g9;
    long h0 =
        f0 * g0
            + f1 * g9x38
            + f2 * g8x19
            + f3 * g7x38
            + f4 * g6x19
            + f5 * g5x38
            + f6 * g4x19
            + f7 * g3x38
            + f8 * g2x19
            + f9 * g1x38;
    long h1 =
        f0 * g1
            + f1 * g0
            + f2 * g9x19
            + f3 * g8x19
            + f4 * g7x19
            + f5 * g6x19
            + f6 * g5x19
            + f7 * g4x19
            + f8 * g3x19
            + f9 * g2x19;
    long h2 =
        f0 * g2
            + f1 * g1x2
            + f2 * g0
            + f3 * g9x38
            + f4 * g8x19
            + f5 * g7x38
            + f6 * g6x19
            + f7 * g5x38
            + f8 * g4x19
            + f9 * g3x38;
    long h3 =
        f0 * g3
            + f1 * g2
            + f2 * g1
            + f3 * g0
            + f4 * g9x19
            + f5 * g8x19
            + f6 * g7x19
            + f7 * g6x19
            + f8 * g5x19
            + f9 * g4x19;
    long h4 =
        f0 * g4
            + f1 * g3x2
            + f2 * g2
            + f3 * g1x2
            + f4 * g0
            + f5 * g9x38
            + f6 * g8x19
            + f7 * g7x38
            + f8 * g6x19
            + f9 * g5x38;
    long h5 =
        f0 * g5
            + f1 * g4
            + f2 * g3
            + f3 * g2
            + f4 * g1
            + f5 * g0
            + f6 * g9x19
            + f7 * g8x19
            + f8 * g7x19
            + f9 * g6x19;
    long h6 =
        f0 * g6
            + f1 * g5x2
            + f2 * g4
            + f3 * g3x2
            + f4 * g2
            + f5 * g1x2
            + f6 * g0
            + f7 * g9x38
            + f8 * g8x19
            + f9 * g7x38;
    long h7 =
        f0 * g7
            + f1 * g6
            + f2 * g5
            + f3 * g4
            + f4 * g3
            + f5 * g2
            + f6 * g1
            + f7 * g0
            + f8 * g9x19
            + f9 * g8x19;
    long h8 =
        f0 * g8
            + f1 * g7x2
            + f2 * g6
            + f3 * g5x2
            + f4 * g4
            + f5 * g3x2
            + f6 * g2
            + f7 * g1x2
            + f8 * g0
            + f9 * g9x38;
    long h9 =
        f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1
            + f9 * g0;
    carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
  }

  /** h = f² (h may be f). */
  static void square(long[] h, long[] f) {
    long f0 = f[0];
    long f1 = f[1];
    long f2 = f[2];
    long f3 = f[3];
    long f4 = f[4];
    long f5 = f[5];
    long f6 = f[6];
    long f7 = f[7];
    long f8 = f[8];
    long f9 = f[9];
    long f1x2 = 2 * f1;
    long f2x2 = 2 * f2;
    long f3x2 = 2 * f3;
    long f3x4 = 4 * f3;
    long f4x2 = 2 * f4;
    long f5x2 = 2 * f5;
    long f5x4 = 4 * f5;
    long f5x38 = 38 * f5;
    long f6x2 = 2 * f6;
    long f6x19 = 19 * f6;
    long f6x38 = 38 * f6;
    long f7x2 = 2 * f7;
    long f7x4 = 4 * f7;
    long f7x38 = 38 * f7;
    long f7x76 = 76 * f7;
    long f8x2 = 2 * f8;
    long f8x19 = 19 * f8;
    long f8x38 = 38 * f8;
    long f9x2 = 2 * f9;
    long f9x38 = 38 * f9;
    long f9x76 = 76 * f9;
    long h0 = f0 * f0 + f1 * f9x76 + f2 * f8x38 + f3 * f7x76 + f4 * f6x38 + f5 * f5x38;
    long h1 = f0 * f1x2 + f2 * f9x38 + f3 * f8x38 + f4 * f7x38 + f5 * f6x38;
    long h2 = f0 * f2x2 + f1 * f1x2 + f3 * f9x76 + f4 * f8x38 + f5 * f7x76 + f6 * f6x19;
    long h3 = f0 * f3x2 + f1 * f2x2 + f4 * f9x38 + f5 * f8x38 + f6 * f7x38;
    long h4 = f0 * f4x2 + f1 * f3x4 + f2 * f2 + f5 * f9x76 + f6 * f8x38 + f7 * f7x38;
    long h5 = f0 * f5x2 + f1 * f4x2 + f2 * f3x2 + f6 * f9x38 + f7 * f8x38;
    long h6 = f0 * f6x2 + f1 * f5x4 + f2 * f4x2 + f3 * f3x2 + f7 * f9x76 + f8 * f8x19;
    long h7 = f0 * f7x2 + f1 * f6x2 + f2 * f5x2 + f3 * f4x2 + f8 * f9x38;
    long h8 = f0 * f8x2 + f1 * f7x4 + f2 * f6x2 + f3 * f5x4 + f4 * f4 + f9 * f9x38;
    long h9 = f0 * f9x2 + f1 * f8x2 + f2 * f7x2 + f3 * f6x2 + f4 * f5x2;
    carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
  }
}
