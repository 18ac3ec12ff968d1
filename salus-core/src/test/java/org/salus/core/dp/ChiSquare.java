package org.salus.core.dp;

import java.util.Map;

/** Pearson's chi-square test of integer draws against an exact pmf (test-side floating point). */
final class ChiSquare {

  private ChiSquare() {}

  /** The statistic and degrees of freedom, tails beyond ±range merged into one bin each. */
  record Result(double statistic, int degreesOfFreedom) {
    /** The 99.9% quantile by the Wilson–Hilferty approximation. */
    double critical999() {
      double k = degreesOfFreedom;
      double z = 3.090232;
      double c = 1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k));
      return k * c * c * c;
    }
  }

  static Result test(
      Map<Long, Long> counts, long draws, java.util.function.LongToDoubleFunction pmf, int range) {
    double stat = 0;
    double inside = 0;
    int bins = 0;
    for (long x = -range; x <= range; x++) {
      double p = pmf.applyAsDouble(x);
      inside += p;
      double expected = p * draws;
      double observed = counts.getOrDefault(x, 0L);
      stat += (observed - expected) * (observed - expected) / expected;
      bins++;
    }
    long outside = draws;
    for (long x = -range; x <= range; x++) {
      outside -= counts.getOrDefault(x, 0L);
    }
    double expectedOutside = (1 - inside) * draws;
    if (expectedOutside > 5) {
      stat += (outside - expectedOutside) * (outside - expectedOutside) / expectedOutside;
      bins++;
    } else if (outside > 0 && expectedOutside * 1e4 < outside) {
      stat = Double.POSITIVE_INFINITY; // draws where the pmf puts nearly nothing
    }
    return new Result(stat, bins - 1);
  }

  static Map<Long, Long> histogram(long draws, java.util.function.LongSupplier sampler) {
    Map<Long, Long> counts = new java.util.HashMap<>();
    for (long i = 0; i < draws; i++) {
      counts.merge(sampler.getAsLong(), 1L, Long::sum);
    }
    return counts;
  }
}
