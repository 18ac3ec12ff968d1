package org.salus.core.dp;

/**
 * A privacy loss in (approximate) zero-concentrated DP: the mechanism's Rényi divergence of every
 * order α > 1 is at most {@code xi + rho·α} (Bun and Steinke, "Concentrated Differential Privacy",
 * TCC 2016, Def. 1.1; ξ = 0 is plain ρ-zCDP). Composition adds both (ibid., §1.2).
 */
public record ZcdpCost(double rho, double xi) {

  public static final ZcdpCost ZERO = new ZcdpCost(0, 0);

  public ZcdpCost {
    if (!(rho >= 0) || !(xi >= 0) || Double.isInfinite(rho) || Double.isInfinite(xi)) {
      throw new DpException(
          "dp.cost.invalid", "ρ " + rho + " and ξ " + xi + " must be finite and >= 0");
    }
  }

  /** Plain ρ-zCDP. */
  public static ZcdpCost rho(double rho) {
    return new ZcdpCost(rho, 0);
  }

  /** Discrete (or continuous) Gaussian noise of variance σ², sensitivity Δ: ρ = Δ²/(2σ²). */
  public static ZcdpCost gaussian(double sensitivity, double sigmaSquared) {
    return rho(sensitivity * sensitivity / (2 * sigmaSquared));
  }

  /**
   * Discrete Laplace of the given scale, sensitivity Δ: ε = Δ/scale pure DP, hence ε²/2-zCDP (Bun
   * and Steinke 2016, Prop. 1.4).
   */
  public static ZcdpCost laplace(double sensitivity, double scale) {
    double epsilon = sensitivity / scale;
    return rho(epsilon * epsilon / 2);
  }

  /**
   * Skellam Sk(μ) on a scalar of sensitivity Δ. Agarwal, Kairouz and Liu (NeurIPS 2021) bound its
   * Rényi divergence of order α by αΔ²/(4μ) + ((2α−1)Δ² + 6Δ)/(16μ²) (the first branch of their
   * minimum), which is ξ + ρα with ρ = Δ²/(4μ) + Δ²/(8μ²) and ξ = max(0, (6Δ − Δ²)/(16μ²)).
   */
  public static ZcdpCost skellam(double sensitivity, double mu) {
    return skellam(sensitivity, sensitivity, mu);
  }

  /**
   * Skellam Sk(μ) added to every coordinate of a vector whose L1 and L2 sensitivities are {@code
   * l1} and {@code l2} (Agarwal, Kairouz and Liu 2021, the multi-dimensional bound): Rényi
   * divergence of order α at most αΔ₂²/(4μ) + ((2α−1)Δ₂² + 6Δ₁)/(16μ²), which is ξ + ρα with ρ =
   * Δ₂²/(4μ) + Δ₂²/(8μ²) and ξ = max(0, (6Δ₁ − Δ₂²)/(16μ²)).
   */
  public static ZcdpCost skellam(double l1, double l2, double mu) {
    double d2 = l2 * l2;
    double rho = d2 / (4 * mu) + d2 / (8 * mu * mu);
    double xi = Math.max(0, (6 * l1 - d2) / (16 * mu * mu));
    return new ZcdpCost(rho, xi);
  }

  /** Sequential composition. */
  public ZcdpCost plus(ZcdpCost other) {
    return new ZcdpCost(rho + other.rho, xi + other.xi);
  }

  /** Whether this loss fits within the limit on both parameters. */
  public boolean within(ZcdpCost limit) {
    return rho <= limit.rho && xi <= limit.xi;
  }
}
