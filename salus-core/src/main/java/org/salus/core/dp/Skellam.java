package org.salus.core.dp;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The Skellam distribution Sk(μ): the difference of two independent Poisson(μ). Sums of independent
 * Skellams are Skellam (Sk(μ₁) + Sk(μ₂) = Sk(μ₁ + μ₂)), so n nodes each adding Sk(μ/n) give a total
 * carrying exactly Sk(μ) (Agarwal, Kairouz and Liu, "The Skellam Mechanism for Differentially
 * Private Federated Learning", NeurIPS 2021).
 *
 * <p>Poisson(λ) is sampled exactly for rational λ: λ is split into m = ⌈2λ⌉ parts γ ≤ 1/2, and each
 * Poisson(γ) is drawn by rejection from the proposal P(K ≥ k) = γ^k/k! (a chain of
 * Bernoulli(γ/(j+1)) steps), accepting k with the rational probability (1−γ)(k+1)/(k+1−γ). The cost
 * is linear in λ.
 */
public final class Skellam {

  private final Rational mu;
  private final ExactRandom random;

  /** A sampler for Sk(μ), μ ≥ 0, using a fresh {@link SecureRandom}. */
  public Skellam(Rational mu) {
    this(mu, new SecureRandom());
  }

  Skellam(Rational mu, RandomGenerator random) {
    this.mu = mu;
    this.random = new ExactRandom(random);
  }

  public Rational mu() {
    return mu;
  }

  public long sample() {
    long positive = poisson();
    long negative = poisson();
    return positive - negative;
  }

  private long poisson() {
    if (mu.isZero()) {
      return 0;
    }
    // m = ⌈2μ⌉ parts of γ = μ/m ≤ 1/2
    BigInteger twice = mu.numerator().shiftLeft(1);
    BigInteger m = twice.add(mu.denominator()).subtract(BigInteger.ONE).divide(mu.denominator());
    BigInteger gNum = mu.numerator();
    BigInteger gDen = mu.denominator().multiply(m);
    long total = 0;
    for (BigInteger i = BigInteger.ZERO; i.compareTo(m) < 0; i = i.add(BigInteger.ONE)) {
      total += smallPoisson(gNum, gDen);
    }
    return total;
  }

  /** Poisson(γ) for γ = gNum/gDen ≤ 1/2, exactly. */
  private long smallPoisson(BigInteger gNum, BigInteger gDen) {
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
}
