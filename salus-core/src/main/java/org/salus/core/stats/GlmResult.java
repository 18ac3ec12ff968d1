package org.salus.core.stats;

import java.util.List;

/**
 * A fitted GLM: coefficients (intercept first), deviance at the estimate, dispersion, N, rounds.
 */
public record GlmResult(
    GlmFamily family,
    List<Coefficient> coefficients,
    double deviance,
    double dispersion,
    long n,
    int iterations) {
  public GlmResult {
    coefficients = List.copyOf(coefficients);
  }

  public double[] estimates() {
    return coefficients.stream().mapToDouble(Coefficient::estimate).toArray();
  }
}
