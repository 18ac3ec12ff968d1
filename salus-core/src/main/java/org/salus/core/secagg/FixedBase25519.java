package org.salus.core.secagg;

import java.util.HexFormat;

/**
 * X25519 public keys, X25519(k, 9), by fixed-base multiplication on the birationally equivalent
 * Edwards curve −x² + y² = 1 + d·x²y² (RFC 7748 §4.1; the Ed25519 curve of RFC 8032), about three
 * times faster than the general ladder: the scalar in 64 signed 4-bit digits, a table of the
 * multiples 1..8 of 256^i·B built once, 64 complete additions with a constant-time table lookup
 * (every entry read, the wanted one kept by mask), then u = (1 + y) / (1 − y). The ref10 method of
 * Bernstein et al.; the formulas are the complete extended-coordinate addition of Hisil, Wong,
 * Carter and Dawson (2008, "add-2008-hwcd-3"), which needs no doubling formula.
 */
final class FixedBase25519 {

  /** d = −121665 / 121666 mod p, little-endian. */
  static final long[] D =
      constant("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352");

  /** The base point B (y = 4/5, u = 9 on Curve25519), little-endian affine coordinates. */
  static final long[] BASE_X =
      constant("1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921");

  static final long[] BASE_Y =
      constant("5866666666666666666666666666666666666666666666666666666666666666");

  private static final long[] D2 = twice(D);

  /** TABLE[i][j] = (j + 1)·256^i·B in cached form. */
  private static final Cached[][] TABLE = table();

  private FixedBase25519() {}

  /** A point in extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, x·y = T/Z. */
  static final class Point {
    final long[] x = Field25519.zero();
    final long[] y = Field25519.one();
    final long[] z = Field25519.one();
    final long[] t = Field25519.zero();
  }

  /** A point ready to be added: (Y − X, Y + X, 2d·T, 2·Z). */
  private static final class Cached {
    final long[] yMinusX = Field25519.one();
    final long[] yPlusX = Field25519.one();
    final long[] t2d = Field25519.zero();
    final long[] z2 = Field25519.zero();

    Cached() {
      z2[0] = 2; // the neutral element
    }
  }

  /** X25519(k, 9) for a 32-byte scalar k (clamped here as RFC 7748 §5 says). */
  static byte[] publicKey(byte[] scalar) {
    byte[] k = scalar.clone();
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
    Point h = multiply(k);
    java.util.Arrays.fill(k, (byte) 0);
    long[] num = Field25519.zero();
    long[] den = Field25519.zero();
    Field25519.add(num, h.z, h.y);
    Field25519.sub(den, h.z, h.y);
    Field25519.invert(den, den);
    Field25519.mul(num, num, den);
    byte[] u = Field25519.toBytes(num);
    for (long[] f : new long[][] {h.x, h.y, h.z, h.t, num, den}) {
      java.util.Arrays.fill(f, 0);
    }
    return u;
  }

  /** k·B for a scalar below 2^255. */
  static Point multiply(byte[] k) {
    byte[] e = new byte[64];
    for (int i = 0; i < 32; i++) {
      e[2 * i] = (byte) (k[i] & 15);
      e[2 * i + 1] = (byte) ((k[i] >>> 4) & 15);
    }
    // Digits in [−8, 8): carry every digit of 8 or more into the next.
    int carry = 0;
    for (int i = 0; i < 63; i++) {
      int v = e[i] + carry;
      carry = (v + 8) >> 4;
      e[i] = (byte) (v - (carry << 4));
    }
    e[63] += (byte) carry;
    Point h = new Point();
    Cached t = new Cached();
    Scratch scratch = new Scratch();
    for (int i = 1; i < 64; i += 2) {
      select(t, i / 2, e[i]);
      add(h, h, t, scratch);
    }
    for (int i = 0; i < 4; i++) {
      add(h, h, cached(h), scratch);
    }
    for (int i = 0; i < 64; i += 2) {
      select(t, i / 2, e[i]);
      add(h, h, t, scratch);
    }
    java.util.Arrays.fill(e, (byte) 0);
    scratch.clear();
    for (long[] f : new long[][] {t.yMinusX, t.yPlusX, t.t2d, t.z2}) {
      java.util.Arrays.fill(f, 0);
    }
    return h;
  }

  /** Temporaries of {@link #add}, allocated once per multiplication. */
  private static final class Scratch {
    final long[] a = Field25519.zero();
    final long[] b = Field25519.zero();
    final long[] c = Field25519.zero();
    final long[] d = Field25519.zero();
    final long[] e = Field25519.zero();
    final long[] f = Field25519.zero();
    final long[] g = Field25519.zero();
    final long[] h = Field25519.zero();

    void clear() {
      for (long[] x : new long[][] {a, b, c, d, e, f, g, h}) {
        java.util.Arrays.fill(x, 0);
      }
    }
  }

  /** r = p + q (r may be p): complete for every pair of points, doubling included. */
  private static void add(Point r, Point p, Cached q, Scratch s) {
    Field25519.sub(s.a, p.y, p.x);
    Field25519.mul(s.a, s.a, q.yMinusX);
    Field25519.add(s.b, p.y, p.x);
    Field25519.mul(s.b, s.b, q.yPlusX);
    Field25519.mul(s.c, p.t, q.t2d);
    Field25519.mul(s.d, p.z, q.z2);
    Field25519.sub(s.e, s.b, s.a);
    Field25519.sub(s.f, s.d, s.c);
    Field25519.add(s.g, s.d, s.c);
    Field25519.add(s.h, s.b, s.a);
    Field25519.mul(r.x, s.e, s.f);
    Field25519.mul(r.y, s.g, s.h);
    Field25519.mul(r.t, s.e, s.h);
    Field25519.mul(r.z, s.f, s.g);
  }

  private static Cached cached(Point p) {
    Cached c = new Cached();
    Field25519.sub(c.yMinusX, p.y, p.x);
    Field25519.add(c.yPlusX, p.y, p.x);
    Field25519.mul(c.t2d, p.t, D2);
    Field25519.add(c.z2, p.z, p.z);
    // Carry the sums so that a looked-up entry meets the bounds of Field25519.mul like a product.
    Field25519.mul(c.yMinusX, c.yMinusX, Field25519.one());
    Field25519.mul(c.yPlusX, c.yPlusX, Field25519.one());
    Field25519.mul(c.z2, c.z2, Field25519.one());
    return c;
  }

  /** t = e·256^i·B for −8 ≤ e ≤ 8, reading all eight entries whatever e is. */
  private static void select(Cached t, int i, int e) {
    int negative = (e >>> 31) & 1;
    int abs = (e ^ -negative) + negative;
    java.util.Arrays.fill(t.yMinusX, 0);
    java.util.Arrays.fill(t.yPlusX, 0);
    java.util.Arrays.fill(t.t2d, 0);
    java.util.Arrays.fill(t.z2, 0);
    t.yMinusX[0] = 1;
    t.yPlusX[0] = 1;
    t.z2[0] = 2;
    for (int j = 1; j <= 8; j++) {
      int x = abs ^ j;
      long mask = -(long) (((x - 1) >>> 31) & 1); // all ones when abs == j
      Cached entry = TABLE[i][j - 1];
      cmov(t.yMinusX, entry.yMinusX, mask);
      cmov(t.yPlusX, entry.yPlusX, mask);
      cmov(t.t2d, entry.t2d, mask);
      cmov(t.z2, entry.z2, mask);
    }
    // −(x, y) = (−x, y): swap Y − X and Y + X, negate 2d·T.
    Field25519.cswap(t.yMinusX, t.yPlusX, negative);
    long[] minusT2d = Field25519.zero();
    Field25519.sub(minusT2d, minusT2d, t.t2d);
    cmov(t.t2d, minusT2d, -(long) negative);
  }

  private static void cmov(long[] f, long[] g, long mask) {
    for (int i = 0; i < Field25519.LIMBS; i++) {
      f[i] ^= mask & (f[i] ^ g[i]);
    }
  }

  private static Cached[][] table() {
    Point base = new Point();
    Field25519.copy(base.x, BASE_X);
    Field25519.copy(base.y, BASE_Y);
    Field25519.mul(base.t, BASE_X, BASE_Y);
    Cached[][] table = new Cached[32][8];
    Scratch scratch = new Scratch();
    for (int i = 0; i < 32; i++) {
      Cached b = cached(base);
      Point multiple = new Point();
      for (int j = 0; j < 8; j++) {
        add(multiple, multiple, b, scratch);
        table[i][j] = cached(multiple);
      }
      for (int n = 0; n < 8; n++) {
        add(base, base, cached(base), scratch);
      }
    }
    return table;
  }

  private static long[] constant(String littleEndianHex) {
    return Field25519.fromBytes(HexFormat.of().parseHex(littleEndianHex));
  }

  private static long[] twice(long[] f) {
    long[] h = Field25519.zero();
    Field25519.add(h, f, f);
    Field25519.mul(h, h, Field25519.one());
    return h;
  }
}
