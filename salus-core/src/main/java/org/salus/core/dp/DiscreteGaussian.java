package org.salus.core.dp;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The discrete Gaussian N_Z(0, σ²) on the integers, P(x) ∝ exp(−x²/(2σ²)), sampled exactly by
 * rejection from a discrete Laplace (Canonne, Kamath and Steinke, "The Discrete Gaussian for
 * Differential Privacy", NeurIPS 2020, Algorithm 3), with σ² rational and no floating point. With
 * sensitivity Δ it is ρ-zCDP for ρ = Δ²/(2σ²) (ibid., Theorem 4).
 */
public final class DiscreteGaussian {

  private final BigInteger num; // σ² = num / den
  private final BigInteger den;
  private final BigInteger t; // ⌊σ⌋ + 1
  private final ExactRandom random;
  private final Rational sigmaSquared;

  /** A sampler for the given σ² (> 0), using a fresh {@link SecureRandom}. */
  public DiscreteGaussian(Rational sigmaSquared) {
    this(sigmaSquared, new SecureRandom());
  }

  DiscreteGaussian(Rational sigmaSquared, RandomGenerator random) {
    if (sigmaSquared.isZero()) {
      throw new DpException("dp.parameter.invalid", "discrete Gaussian σ² must be positive");
    }
    this.sigmaSquared = sigmaSquared;
    this.num = sigmaSquared.numerator();
    this.den = sigmaSquared.denominator();
    // ⌊√(n/d)⌋ = ⌊√⌊n/d⌋⌋
    this.t = num.divide(den).sqrt().add(BigInteger.ONE);
    this.random = new ExactRandom(random);
  }

  public Rational sigmaSquared() {
    return sigmaSquared;
  }

  public long sample() {
    while (true) {
      long y = DiscreteLaplace.sample(random, BigInteger.ONE, t);
      // γ = (|y| − σ²/t)² / (2σ²) = (|y|·t·den − num)² / (2·t²·den·num)
      BigInteger a = BigInteger.valueOf(Math.abs(y)).multiply(t).multiply(den).subtract(num);
      BigInteger gammaNum = a.multiply(a);
      BigInteger gammaDen = BigInteger.TWO.multiply(t).multiply(t).multiply(den).multiply(num);
      if (random.bernoulliExpMinus(gammaNum, gammaDen)) {
        return y;
      }
    }
  }
}
