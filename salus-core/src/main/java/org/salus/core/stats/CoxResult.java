package org.salus.core.stats;

import java.util.List;

/** A fitted Cox model: log hazard ratios, the log partial likelihood, N, events and rounds. */
public record CoxResult(
    List<Coefficient> coefficients,
    double logPartialLikelihood,
    long n,
    long events,
    int iterations) {
  public CoxResult {
    coefficients = List.copyOf(coefficients);
  }
}
