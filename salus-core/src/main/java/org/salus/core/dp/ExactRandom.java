package org.salus.core.dp;

import java.math.BigInteger;
import java.util.random.RandomGenerator;

/**
 * Exact random draws from uniform integers only: Bernoulli(p) for rational p and Bernoulli(e^−γ)
 * for rational γ ≥ 0 (Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
 * Privacy", NeurIPS 2020, Algorithm 1). No floating point.
 */
final class ExactRandom {

  private final RandomGenerator random;

  ExactRandom(RandomGenerator random) {
    this.random = random;
  }

  /** Uniform in [0, bound). */
  BigInteger uniformBelow(BigInteger bound) {
    if (bound.bitLength() < 63) {
      return BigInteger.valueOf(random.nextLong(bound.longValueExact()));
    }
    int bits = bound.bitLength();
    byte[] bytes = new byte[(bits + 7) / 8];
    BigInteger r;
    do { // rejection keeps it exactly uniform
      random.nextBytes(bytes);
      r = new BigInteger(1, bytes).shiftRight(bytes.length * 8 - bits);
    } while (r.compareTo(bound) >= 0);
    return r;
  }

  /** Uniform in [0, bound) for a long bound. */
  long uniformBelow(long bound) {
    return random.nextLong(bound);
  }

  /** Bernoulli(num / den), 0 ≤ num ≤ den. */
  boolean bernoulli(BigInteger num, BigInteger den) {
    return uniformBelow(den).compareTo(num) < 0;
  }

  /** Bernoulli(exp(−num/den)), CKS 2020 Algorithm 1. */
  boolean bernoulliExpMinus(BigInteger num, BigInteger den) {
    if (num.compareTo(den) <= 0) {
      long k = 1;
      while (bernoulli(num, den.multiply(BigInteger.valueOf(k)))) {
        k++;
      }
      return k % 2 == 1;
    }
    BigInteger whole = num.divide(den);
    for (BigInteger i = BigInteger.ZERO; i.compareTo(whole) < 0; i = i.add(BigInteger.ONE)) {
      if (!bernoulliExpMinus(BigInteger.ONE, BigInteger.ONE)) {
        return false;
      }
    }
    return bernoulliExpMinus(num.subtract(whole.multiply(den)), den);
  }
}
