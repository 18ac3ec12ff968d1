package org.salus.core.dp;

import java.util.random.RandomGenerator;

/**
 * Skellam noise for an integer vector summed under secure aggregation: Sk(μ) on every coordinate of
 * the total, each of {@code nodes} nodes adding an independent Sk(μ/n) (sums of Skellams are
 * Skellam). {@code l1} and {@code l2} are the vector's sensitivities in integer units: how much one
 * person can move it, in L1 and L2 norm.
 */
public record SkellamNoise(Rational totalMu, int nodes, double l1, double l2) {

  public SkellamNoise {
    if (nodes < 1 || !(l1 > 0) || !(l2 > 0) || totalMu.isZero()) {
      throw new DpException(
          "dp.parameter.invalid", "nodes, sensitivities and μ must be positive for Skellam noise");
    }
  }

  /**
   * The smallest integer μ whose total costs at most ρ: from the root of 4ρμ² = Δ₂²μ + Δ₂²/2 (ρ(μ)
   * = Δ₂²/(4μ) + Δ₂²/(8μ²) is decreasing), stepped up until the computed cost fits.
   */
  public static SkellamNoise forRho(double rho, int nodes, double l1, double l2) {
    if (!(rho > 0) || Double.isInfinite(rho)) {
      throw new DpException("dp.parameter.invalid", "ρ " + rho + " must be positive and finite");
    }
    double d2 = l2 * l2;
    long mu = Math.max(1, (long) Math.ceil((d2 + Math.sqrt(d2 * d2 + 8 * rho * d2)) / (8 * rho)));
    while (ZcdpCost.skellam(l1, l2, (double) mu).rho() > rho) {
      mu += Math.max(1, mu / 1_000_000);
    }
    return new SkellamNoise(Rational.of(mu, 1), nodes, l1, l2);
  }

  /** μ of the total, as an integer (it is one by construction in {@link #forRho}). */
  public long mu() {
    return totalMu.numerator().divide(totalMu.denominator()).longValueExact();
  }

  /** This node's share, drawn from {@code random} (a {@link java.security.SecureRandom} in use). */
  public Skellam share(RandomGenerator random) {
    return new Skellam(totalMu.divide(nodes), random);
  }

  /** What the total noise costs. */
  public ZcdpCost cost() {
    return ZcdpCost.skellam(l1, l2, totalMu.toDouble());
  }
}
