package org.salus.core.dp;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The discrete Laplace distribution on the integers, P(x) ∝ exp(−|x| / scale), sampled exactly
 * (Canonne, Kamath and Steinke 2020, Algorithm 2). With sensitivity Δ it gives (Δ/scale)-DP.
 */
public final class DiscreteLaplace {

  private final BigInteger s;
  private final BigInteger t;
  private final ExactRandom random;

  /** A sampler with the given rational scale (> 0), using a fresh {@link SecureRandom}. */
  public DiscreteLaplace(Rational scale) {
    this(scale, new SecureRandom());
  }

  DiscreteLaplace(Rational scale, RandomGenerator random) {
    if (scale.isZero()) {
      throw new DpException("dp.parameter.invalid", "discrete Laplace scale must be positive");
    }
    // scale = t / s
    this.t = scale.numerator();
    this.s = scale.denominator();
    this.random = new ExactRandom(random);
  }

  public long sample() {
    return sample(random, s, t);
  }

  static long sample(ExactRandom random, BigInteger s, BigInteger t) {
    while (true) {
      BigInteger u = random.uniformBelow(t);
      if (!random.bernoulliExpMinus(u, t)) {
        continue;
      }
      long v = 0;
      while (random.bernoulliExpMinus(BigInteger.ONE, BigInteger.ONE)) {
        v++;
      }
      BigInteger x = u.add(t.multiply(BigInteger.valueOf(v)));
      long y = x.divide(s).longValueExact();
      boolean negative = random.uniformBelow(2) == 1;
      if (negative && y == 0) {
        continue;
      }
      return negative ? -y : y;
    }
  }
}
