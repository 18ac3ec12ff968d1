package org.salus.core.stats;

/**
 * The standard normal distribution, computed with care in the tails: for |x| < 3 the Taylor series
 * of Marsaglia (J. Stat. Softw. 11(4), 2004); beyond, Laplace's continued fraction for the Mills
 * ratio, which keeps relative accuracy for tiny p-values.
 */
public final class Normal {

  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  private Normal() {}

  /** The density φ(x). */
  public static double density(double x) {
    return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
  }

  /** Φ(x) = P(Z ≤ x). */
  public static double cdf(double x) {
    return upperTail(-x);
  }

  /** Q(x) = P(Z > x), accurate relative to its size for large x. */
  public static double upperTail(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x < 0) {
      return 1 - upperTail(-x);
    }
    if (x < 3) {
      // Φ(x) = 1/2 + φ(x) (x + x^3/3 + x^5/(3·5) + ...)
      double term = x;
      double sum = x;
      double x2 = x * x;
      for (int k = 3; term > 1e-17 * sum; k += 2) {
        term *= x2 / k;
        sum += term;
      }
      return 0.5 - density(x) * sum;
    }
    if (x > 40) {
      return 0;
    }
    // Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + ...)))), evaluated from the tail inwards.
    double t = x;
    for (int k = 600; k >= 1; k--) {
      t = x + k / t;
    }
    return density(x) / t;
  }

  /** Two-sided p-value of a z statistic: P(|Z| ≥ |z|). */
  public static double twoSidedP(double z) {
    return Math.min(1, 2 * upperTail(Math.abs(z)));
  }

  /** The quantile Φ⁻¹(p) for 0 &lt; p &lt; 1, by bisection on {@link #cdf} (exact to rounding). */
  public static double quantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), got " + p);
    }
    double lo = -40;
    double hi = 40;
    for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
      double mid = 0.5 * (lo + hi);
      if (cdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** Upper tail of the chi-square distribution with one degree of freedom. */
  public static double chiSquare1UpperTail(double chiSquare) {
    return chiSquare <= 0 ? 1 : 2 * upperTail(Math.sqrt(chiSquare));
  }
}
