package org.salus.core.study;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the researcher asks for: the minimum cell size (nodes may enforce a larger one) and an
 * optional zero-concentrated DP budget ρ for the whole study.
 */
public record PrivacyParameters(int minCellSize, OptionalDouble rho) {

  public static final int DEFAULT_MIN_CELL_SIZE = 5;

  public PrivacyParameters {
    Objects.requireNonNull(rho, "rho");
  }

  public static PrivacyParameters defaults() {
    return new PrivacyParameters(DEFAULT_MIN_CELL_SIZE, OptionalDouble.empty());
  }
}
