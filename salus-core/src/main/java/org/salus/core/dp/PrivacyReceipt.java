package org.salus.core.dp;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a released result cost and how it was protected: the zCDP loss, its (ε, δ) equivalent by the
 * named conversion, the mechanism and its parameters, and the nodes that contributed.
 *
 * @param cost the loss in (ξ, ρ)-zCDP
 * @param epsilon ε at {@code delta}, by {@code conversion}
 * @param delta δ
 * @param conversion which ρ → (ε, δ) bound gave ε (for example {@code cks2020-corollary13})
 * @param mechanism the mechanism, for example {@code skellam} or {@code discrete-gaussian}
 * @param parameters the mechanism's parameters by name (σ², μ, sensitivity, bounds)
 * @param contributors the nodes whose data is in the result
 */
public record PrivacyReceipt(
    ZcdpCost cost,
    double epsilon,
    double delta,
    String conversion,
    String mechanism,
    SortedMap<String, String> parameters,
    SortedSet<String> contributors) {

  public PrivacyReceipt {
    parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    contributors = Collections.unmodifiableSortedSet(new TreeSet<>(contributors));
  }

  /** A receipt with ε by the tight Canonne–Kamath–Steinke conversion. */
  public static PrivacyReceipt of(
      ZcdpCost cost,
      double delta,
      String mechanism,
      Map<String, String> parameters,
      SortedSet<String> contributors) {
    return new PrivacyReceipt(
        cost,
        ZcdpConversion.tight(cost, delta),
        delta,
        "cks2020-corollary13",
        mechanism,
        new TreeMap<>(parameters),
        contributors);
  }
}
