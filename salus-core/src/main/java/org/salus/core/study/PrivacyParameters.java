package org.salus.core.study;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.salus.core.dp.Clamp;

/**
 * What the researcher asks for: the minimum cell size (nodes may enforce a larger one) and an
 * optional zero-concentrated DP budget ρ for the whole study. With ρ, the study also declares what
 * the sensitivities follow from: {@code bounds} per numeric variable name (the node clamps every
 * person's value into them), {@code followUpDays} (the horizon of Kaplan–Meier tables) and {@code
 * glmRounds} (the IRLS rounds a GLM may release, each charged).
 *
 * <p>{@code secureAggregation} asks the hub to learn only the sum of the nodes' vectors (Bonawitz
 * et al., CCS 2017; docs/secagg-dp.md, "Secure aggregation in studies"), with {@code
 * secureThreshold} the fewest nodes a round may finish with (default ⌈2n/3⌉ of the n joined, and
 * always more than n/2), and {@code secureOneTrip} whether a step may run in a one-trip round (keys
 * prepared ahead, one exchange per step; the default) or only in a classic four-phase round, which
 * recovers a node lost mid-step exactly, also under ρ (docs/secagg-dp.md, "One-trip rounds").
 */
public record PrivacyParameters(
    int minCellSize,
    OptionalDouble rho,
    SortedMap<String, Clamp> bounds,
    OptionalInt followUpDays,
    int glmRounds,
    boolean secureAggregation,
    OptionalInt secureThreshold,
    boolean secureOneTrip) {

  public static final int DEFAULT_MIN_CELL_SIZE = 5;

  /** IRLS rounds of a GLM under ρ when the study sets none. */
  public static final int DEFAULT_GLM_ROUNDS = 10;

  public PrivacyParameters {
    Objects.requireNonNull(rho, "rho");
    Objects.requireNonNull(followUpDays, "followUpDays");
    Objects.requireNonNull(secureThreshold, "secureThreshold");
    bounds = Collections.unmodifiableSortedMap(new TreeMap<>(bounds));
  }

  /** Secure aggregation, if asked, in one-trip rounds. */
  public PrivacyParameters(
      int minCellSize,
      OptionalDouble rho,
      SortedMap<String, Clamp> bounds,
      OptionalInt followUpDays,
      int glmRounds,
      boolean secureAggregation,
      OptionalInt secureThreshold) {
    this(
        minCellSize,
        rho,
        bounds,
        followUpDays,
        glmRounds,
        secureAggregation,
        secureThreshold,
        true);
  }

  /** Without secure aggregation. */
  public PrivacyParameters(
      int minCellSize,
      OptionalDouble rho,
      SortedMap<String, Clamp> bounds,
      OptionalInt followUpDays,
      int glmRounds) {
    this(minCellSize, rho, bounds, followUpDays, glmRounds, false, OptionalInt.empty());
  }

  public PrivacyParameters(int minCellSize, OptionalDouble rho) {
    this(minCellSize, rho, new TreeMap<>(), OptionalInt.empty(), DEFAULT_GLM_ROUNDS);
  }

  /**
   * The threshold of a secure-aggregation round among {@code participants} joined nodes: the
   * declared one or ⌈2n/3⌉, raised to more than n/2 (so two disjoint halves can never each unmask).
   * It may exceed n; the round then cannot run.
   */
  public int secureThresholdFor(int participants) {
    int declared = secureThreshold.orElse((2 * participants + 2) / 3);
    return Math.max(declared, participants / 2 + 1);
  }

  public static PrivacyParameters defaults() {
    return new PrivacyParameters(DEFAULT_MIN_CELL_SIZE, OptionalDouble.empty());
  }

  /** The declared bounds of a variable, by its name. */
  public java.util.Optional<Clamp> boundsOf(Variable v) {
    return java.util.Optional.ofNullable(bounds.get(v.name()));
  }

  /** The same with bounds given. */
  public PrivacyParameters withBounds(Map<String, Clamp> bounds) {
    return new PrivacyParameters(
        minCellSize,
        rho,
        new TreeMap<>(bounds),
        followUpDays,
        glmRounds,
        secureAggregation,
        secureThreshold,
        secureOneTrip);
  }
}
