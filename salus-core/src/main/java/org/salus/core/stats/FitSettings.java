package org.salus.core.stats;

/**
 * When an iterative fit stops: relative change of the deviance (or log partial likelihood) below
 * {@code epsilon}, as in R's glm.control, or {@code maxIterations} rounds; and the confidence level
 * of the intervals.
 */
public record FitSettings(double epsilon, int maxIterations, double confidence) {

  public FitSettings {
    if (!(epsilon > 0) || maxIterations < 1 || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("invalid fit settings");
    }
  }

  /**
   * ε = 1e-12 (so the federated fit matches a pooled fit to far better than 1e-8), 30 rounds, 95%.
   */
  public static FitSettings defaults() {
    return new FitSettings(1e-12, 30, 0.95);
  }

  double zCritical() {
    return Normal.quantile(0.5 + confidence / 2);
  }

  boolean converged(double previous, double current) {
    return Math.abs(current - previous) / (Math.abs(current) + 0.1) < epsilon;
  }
}
