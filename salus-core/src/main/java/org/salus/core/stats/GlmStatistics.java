package org.salus.core.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's IRLS sufficient statistics at the proposed coefficients β (McCullagh &amp; Nelder,
 * Generalized Linear Models, 2nd ed., §2.5): XᵀWX (row-major p×p), XᵀWz, the deviance and N, plus
 * the level counts of binary variables the disclosure rules need.
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString compare contents
public record GlmStatistics(
    int parameters,
    double[] information,
    double[] weightedResponse,
    double deviance,
    long n,
    List<BinaryLevel> levels)
    implements Statistic {

  public GlmStatistics {
    information = information.clone();
    weightedResponse = weightedResponse.clone();
    levels = List.copyOf(levels);
    if (information.length != parameters * parameters || weightedResponse.length != parameters) {
      throw new IllegalArgumentException("statistics do not match " + parameters + " parameters");
    }
  }

  @Override
  public double[] information() {
    return information.clone();
  }

  @Override
  public double[] weightedResponse() {
    return weightedResponse.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GlmStatistics g
        && parameters == g.parameters
        && java.util.Arrays.equals(information, g.information)
        && java.util.Arrays.equals(weightedResponse, g.weightedResponse)
        && Double.compare(deviance, g.deviance) == 0
        && n == g.n
        && levels.equals(g.levels);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        parameters,
        java.util.Arrays.hashCode(information),
        java.util.Arrays.hashCode(weightedResponse),
        deviance,
        n,
        levels);
  }

  @Override
  public String toString() {
    return "GlmStatistics[parameters="
        + parameters
        + ", information="
        + java.util.Arrays.toString(information)
        + ", weightedResponse="
        + java.util.Arrays.toString(weightedResponse)
        + ", deviance="
        + deviance
        + ", n="
        + n
        + ", levels="
        + levels
        + "]";
  }

  /** The pooled statistics of two nodes. */
  public GlmStatistics plus(GlmStatistics o) {
    if (parameters != o.parameters) {
      throw new IllegalArgumentException("statistics for different models");
    }
    double[] a = information.clone();
    double[] b = weightedResponse.clone();
    for (int i = 0; i < a.length; i++) {
      a[i] += o.information[i];
    }
    for (int i = 0; i < b.length; i++) {
      b[i] += o.weightedResponse[i];
    }
    Map<String, BinaryLevel> merged = new LinkedHashMap<>();
    for (BinaryLevel l : levels) {
      merged.put(l.variable(), l);
    }
    for (BinaryLevel l : o.levels) {
      merged.merge(
          l.variable(),
          l,
          (x, y) -> new BinaryLevel(x.variable(), x.ones() + y.ones(), x.total() + y.total()));
    }
    return new GlmStatistics(
        parameters, a, b, deviance + o.deviance, n + o.n, new ArrayList<>(merged.values()));
  }

  /** Sums the statistics of all nodes. */
  public static GlmStatistics sum(List<GlmStatistics> nodes) {
    return nodes.stream().reduce(GlmStatistics::plus).orElseThrow();
  }

  boolean isFinite() {
    if (!Double.isFinite(deviance)) {
      return false;
    }
    for (double v : information) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    for (double v : weightedResponse) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
