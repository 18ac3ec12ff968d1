package org.salus.core.dp;

/**
 * From (ξ, ρ)-zCDP to (ε, δ)-DP, for display. Two bounds:
 *
 * <ul>
 *   <li>{@link #simple}: ε = ξ + ρ + 2√(ρ·ln(1/δ)) (Bun and Steinke 2016, Prop. 1.3);
 *   <li>{@link #tight}: ε = ξ + inf over α > 1 of αρ + (ln(1/δ) − ln α)/(α − 1) + ln(1 − 1/α)
 *       (Canonne, Kamath and Steinke 2020, Corollary 13), never larger than the simple bound.
 * </ul>
 *
 * Receipts use the tight bound and say so.
 */
public final class ZcdpConversion {

  private ZcdpConversion() {}

  public static double simple(ZcdpCost cost, double delta) {
    requireDelta(delta);
    return cost.xi() + cost.rho() + 2 * Math.sqrt(cost.rho() * Math.log(1 / delta));
  }

  public static double tight(ZcdpCost cost, double delta) {
    requireDelta(delta);
    if (cost.rho() == 0) {
      return cost.xi();
    }
    // The objective is convex in α on (1, ∞); search log(α − 1) by golden section.
    double lo = -20;
    double hi = 20;
    double phi = (Math.sqrt(5) - 1) / 2;
    for (int i = 0; i < 200; i++) {
      double a = hi - phi * (hi - lo);
      double b = lo + phi * (hi - lo);
      if (objective(cost.rho(), delta, 1 + Math.exp(a))
          < objective(cost.rho(), delta, 1 + Math.exp(b))) {
        hi = b;
      } else {
        lo = a;
      }
    }
    double eps = objective(cost.rho(), delta, 1 + Math.exp((lo + hi) / 2));
    return cost.xi() + Math.min(Math.max(eps, 0), simple(ZcdpCost.rho(cost.rho()), delta));
  }

  private static double objective(double rho, double delta, double alpha) {
    return alpha * rho
        + (Math.log(1 / delta) - Math.log(alpha)) / (alpha - 1)
        + Math.log1p(-1 / alpha);
  }

  private static void requireDelta(double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new DpException("dp.parameter.invalid", "δ " + delta + " must be in (0, 1)");
    }
  }
}
