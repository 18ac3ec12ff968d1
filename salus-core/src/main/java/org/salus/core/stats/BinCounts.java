package org.salus.core.stats;

import java.util.Arrays;
import java.util.List;

/**
 * Counts per bin of a histogram with the given edges (bin i is [edges[i], edges[i+1])), with the
 * counts below the first and at or above the last edge kept apart.
 */
public record BinCounts(List<Double> edges, List<Long> counts, long below, long above)
    implements Statistic {

  public BinCounts {
    edges = List.copyOf(edges);
    counts = List.copyOf(counts);
    if (counts.size() != edges.size() - 1) {
      throw new IllegalArgumentException(
          counts.size() + " counts for " + (edges.size() - 1) + " bins");
    }
  }

  /** All-zero counts for these edges. */
  public static BinCounts empty(List<Double> edges) {
    Long[] zeros = new Long[edges.size() - 1];
    Arrays.fill(zeros, 0L);
    return new BinCounts(edges, List.of(zeros), 0, 0);
  }

  public BinCounts plus(BinCounts o) {
    if (!edges.equals(o.edges)) {
      throw new IllegalArgumentException("histograms have different edges");
    }
    Long[] sum = new Long[counts.size()];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = counts.get(i) + o.counts.get(i);
    }
    return new BinCounts(edges, List.of(sum), below + o.below, above + o.above);
  }

  public long total() {
    return below + above + counts.stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Quantiles by linear interpolation inside the bin where the cumulative count reaches p·N (N
   * counts values outside the edges too, which pin a quantile to an edge).
   */
  public List<Double> quantiles(List<Double> probabilities) {
    long n = total();
    if (n == 0) {
      return probabilities.stream().map(p -> Double.NaN).toList();
    }
    return probabilities.stream().map(p -> quantile(p * n)).toList();
  }

  private double quantile(double target) {
    double cumulative = below;
    if (target <= cumulative) {
      return edges.get(0);
    }
    for (int i = 0; i < counts.size(); i++) {
      long c = counts.get(i);
      if (c > 0 && cumulative + c >= target) {
        double fraction = (target - cumulative) / c;
        return edges.get(i) + fraction * (edges.get(i + 1) - edges.get(i));
      }
      cumulative += c;
    }
    return edges.get(edges.size() - 1);
  }
}
