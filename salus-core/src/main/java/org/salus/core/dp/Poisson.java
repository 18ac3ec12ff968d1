package org.salus.core.dp;

import java.math.BigInteger;

/**
 * Poisson(λ) for rational λ = a/b, exactly and with integer arithmetic only.
 *
 * <p>Small λ (below {@value #LARGE}): λ is split into m = ⌈2λ⌉ parts γ ≤ 1/2 and each Poisson(γ) is
 * drawn by rejection from the proposal P(K ≥ k) = γ^k/k! (a chain of Bernoulli(γ/(j+1)) steps),
 * accepting k with probability (1−γ)(k+1)/(k+1−γ); the cost is linear in λ.
 *
 * <p>Large λ: rejection from a flat-topped envelope with geometric tails, which the log-concave
 * Poisson pmf lies under. With mode m = ⌊λ⌋ and r(k) = p(k)/p(m), r(m+j) = Π_{i=1..j} λ/(m+i) and
 * r(m−j) = Π_{i=0..j−1} (m−i)/λ, every factor at most one and falling with i. The envelope keeps
 * the first d = ⌊√m⌋+1 factors as 1 and every later one at the d-th boundary value (λ/(m+d+1) on
 * the right, (m−d)/λ on the left), so it is flat on [m−d, m+d] and geometric outside and lies above
 * r. A proposal k is accepted with probability r(k)/envelope(k), which is a product of rational
 * factors each at most one, so it is a chain of exact Bernoulli trials that stops at the first
 * failure. Expected work is O(√λ) Bernoulli draws (the envelope's mass is about 4√λ against the
 * pmf's √(2πλ), so about two proposals in three are accepted), against O(λ) for the chain.
 */
final class Poisson {

  /** From this mode on the envelope sampler is used. */
  static final long LARGE = 16;

  private Poisson() {}

  static long sample(ExactRandom random, BigInteger a, BigInteger b) {
    if (a.signum() == 0) {
      return 0;
    }
    BigInteger mode = a.divide(b);
    if (mode.compareTo(BigInteger.valueOf(LARGE)) < 0) {
      return chain(random, a, b);
    }
    return envelope(random, a, b, mode.longValueExact());
  }

  private static long chain(ExactRandom random, BigInteger a, BigInteger b) {
    // m = ⌈2λ⌉ parts of γ = λ/m ≤ 1/2
    BigInteger twice = a.shiftLeft(1);
    long m = twice.add(b).subtract(BigInteger.ONE).divide(b).longValueExact();
    BigInteger gDen = b.multiply(BigInteger.valueOf(m));
    long total = 0;
    for (long i = 0; i < m; i++) {
      total += small(random, a, gDen);
    }
    return total;
  }

  /** Poisson(γ) for γ = gNum/gDen ≤ 1/2, exactly. */
  private static long small(ExactRandom random, BigInteger gNum, BigInteger gDen) {
    while (true) {
      long k = 0;
      while (random.bernoulli(gNum, gDen.multiply(BigInteger.valueOf(k + 1)))) {
        k++;
      }
      // accept with (1 − γ)(k+1) / (k+1 − γ) = (gDen − gNum)(k+1) / ((k+1)·gDen − gNum)
      BigInteger k1 = BigInteger.valueOf(k + 1);
      if (random.bernoulli(gDen.subtract(gNum).multiply(k1), k1.multiply(gDen).subtract(gNum))) {
        return k;
      }
    }
  }

  private static long envelope(ExactRandom random, BigInteger a, BigInteger b, long m) {
    long d = BigInteger.valueOf(m).sqrt().longValueExact() + 1; // sizes the envelope only
    long lo = Math.max(0, m - d);
    BigInteger flat = BigInteger.valueOf(m + d - lo + 1);
    // right tail: ρR = a / (b(m+d+1)); weight ρR/(1−ρR) = a / (b(m+d+1) − a)
    BigInteger rightDen = b.multiply(BigInteger.valueOf(m + d + 1));
    BigInteger wrNum = a;
    BigInteger wrDen = rightDen.subtract(a);
    // left tail (when m − d ≥ 1): ρL = b(m−d)/a; weight b(m−d) / (a − b(m−d))
    boolean left = m - d >= 1;
    BigInteger leftNum = left ? b.multiply(BigInteger.valueOf(m - d)) : BigInteger.ZERO;
    BigInteger wlNum = leftNum;
    BigInteger wlDen = left ? a.subtract(leftNum) : BigInteger.ONE;
    BigInteger flatW = flat.multiply(wrDen).multiply(wlDen);
    BigInteger rightW = wrNum.multiply(wlDen);
    BigInteger leftW = wlNum.multiply(wrDen);
    BigInteger total = flatW.add(rightW).add(leftW);
    while (true) {
      BigInteger u = random.uniformBelow(total);
      long k;
      if (u.compareTo(flatW) < 0) {
        k = lo + random.uniformBelow(flat).longValueExact();
      } else if (u.compareTo(flatW.add(rightW)) < 0) {
        k = m + d + geometric(random, a, rightDen);
      } else {
        k = m - d - geometric(random, leftNum, a);
      }
      if (k >= 0 && accept(random, a, b, m, d, k)) {
        return k;
      }
    }
  }

  /** t ≥ 1 with P(t) ∝ ρ^t for ρ = num/den < 1. */
  private static long geometric(ExactRandom random, BigInteger num, BigInteger den) {
    long t = 1;
    while (random.bernoulli(num, den)) {
      t++;
    }
    return t;
  }

  /** Bernoulli(r(k) / envelope(k)) as a chain of factors, each at most one. */
  private static boolean accept(
      ExactRandom random, BigInteger a, BigInteger b, long m, long d, long k) {
    if (k > m) {
      BigInteger edge = BigInteger.valueOf(m + d + 1);
      for (long i = 1; i <= k - m; i++) {
        BigInteger mi = BigInteger.valueOf(m + i);
        boolean ok = i <= d ? random.bernoulli(a, b.multiply(mi)) : random.bernoulli(edge, mi);
        if (!ok) {
          return false;
        }
      }
      return true;
    }
    BigInteger edge = BigInteger.valueOf(m - d);
    for (long i = 0; i < m - k; i++) {
      BigInteger mi = BigInteger.valueOf(m - i);
      boolean ok = i < d ? random.bernoulli(b.multiply(mi), a) : random.bernoulli(mi, edge);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
