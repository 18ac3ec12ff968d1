package org.salus.core.stats;

import java.util.TreeSet;

/**
 * The log-rank test of two survival curves (Mantel, Cancer Chemother. Rep. 50, 1966; Peto &amp;
 * Peto 1972) from a summed risk table: at each event time the events of group A are compared with
 * their hypergeometric expectation; χ² = (O − E)²/V on one degree of freedom.
 */
public final class LogRank {

  private LogRank() {}

  /** Observed and expected events of group A, the variance, χ² and its p-value. */
  public record Result(
      double observed, double expected, double variance, double chiSquare, double p) {}

  public static Result test(RiskTable table, String groupA, String groupB) {
    TreeSet<Integer> bins = new TreeSet<>();
    for (RiskTable.Row r : table.rows()) {
      if (r.events() > 0 && (r.group().equals(groupA) || r.group().equals(groupB))) {
        bins.add(r.bin());
      }
    }
    double observed = 0;
    double expected = 0;
    double variance = 0;
    for (int bin : bins) {
      long dA = events(table, groupA, bin);
      long d = dA + events(table, groupB, bin);
      double nA = table.atRisk(groupA, bin);
      double n = nA + table.atRisk(groupB, bin);
      observed += dA;
      expected += d * nA / n;
      if (n > 1) {
        variance += d * (nA / n) * (1 - nA / n) * (n - d) / (n - 1);
      }
    }
    double chi = variance > 0 ? (observed - expected) * (observed - expected) / variance : 0;
    return new Result(observed, expected, variance, chi, Normal.chiSquare1UpperTail(chi));
  }

  private static long events(RiskTable table, String group, int bin) {
    return table.rows().stream()
        .filter(r -> r.group().equals(group) && r.bin() == bin)
        .mapToLong(RiskTable.Row::events)
        .sum();
  }
}
