package org.salus.core.stats;

/** The number of persons in the cohort. */
public record CohortSize(long n) implements Statistic {
  public CohortSize plus(CohortSize other) {
    return new CohortSize(n + other.n);
  }
}
