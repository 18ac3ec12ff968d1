package org.salus.core.stats;

import java.util.Locale;

/** The GLM families Salus fits, each with its canonical link. */
public enum GlmFamily {
  /** Normal errors, identity link; dispersion estimated. */
  GAUSSIAN,
  /** Bernoulli outcome, logit link. */
  BINOMIAL,
  /** Counts, log link. */
  POISSON;

  /** Whether the dispersion is estimated (gaussian) rather than fixed at 1. */
  public boolean estimatesDispersion() {
    return this == GAUSSIAN;
  }

  /** The lower-case name used in study documents. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
