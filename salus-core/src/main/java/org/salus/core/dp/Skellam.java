package org.salus.core.dp;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The Skellam distribution Sk(μ): the difference of two independent Poisson(μ). Sums of independent
 * Skellams are Skellam (Sk(μ₁) + Sk(μ₂) = Sk(μ₁ + μ₂)), so n nodes each adding Sk(μ/n) give a total
 * carrying exactly Sk(μ) (Agarwal, Kairouz and Liu, "The Skellam Mechanism for Differentially
 * Private Federated Learning", NeurIPS 2021).
 *
 * <p>Poisson(λ) is sampled exactly for rational λ with integer arithmetic only ({@link Poisson}):
 * linear in λ for small λ, O(√λ) by rejection from a log-concave envelope for large λ.
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
    return Poisson.sample(random, mu.numerator(), mu.denominator());
  }
}
