package org.salus.core.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One node's Cox risk-set statistics at the proposed β, per time bin: events d, exits, the sum of
 * the covariates of the events, and over the persons leaving in the bin Σr, Σr·x, Σr·xxᵀ with r =
 * exp(βᵀx). The hub sums them over nodes and accumulates from the last bin down to get the pooled
 * risk-set sums S0, S1, S2 (Breslow, Biometrics 30, 1974).
 */
public record CoxStatistics(int parameters, List<Bin> bins) implements Statistic {

  /** The sums for one bin. */
  @SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString compare contents
  public record Bin(
      int bin, long events, long exits, double[] eventSum, double r, double[] rx, double[] rxx) {
    public Bin {
      eventSum = eventSum.clone();
      rx = rx.clone();
      rxx = rxx.clone();
    }

    @Override
    public double[] eventSum() {
      return eventSum.clone();
    }

    @Override
    public double[] rx() {
      return rx.clone();
    }

    @Override
    public double[] rxx() {
      return rxx.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bin b
          && bin == b.bin
          && events == b.events
          && exits == b.exits
          && java.util.Arrays.equals(eventSum, b.eventSum)
          && Double.compare(r, b.r) == 0
          && java.util.Arrays.equals(rx, b.rx)
          && java.util.Arrays.equals(rxx, b.rxx);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(
          bin,
          events,
          exits,
          java.util.Arrays.hashCode(eventSum),
          r,
          java.util.Arrays.hashCode(rx),
          java.util.Arrays.hashCode(rxx));
    }

    @Override
    public String toString() {
      return "Bin[bin="
          + bin
          + ", events="
          + events
          + ", exits="
          + exits
          + ", eventSum="
          + java.util.Arrays.toString(eventSum)
          + ", r="
          + r
          + ", rx="
          + java.util.Arrays.toString(rx)
          + ", rxx="
          + java.util.Arrays.toString(rxx)
          + "]";
    }

    Bin plus(Bin o) {
      return new Bin(
          bin,
          events + o.events,
          exits + o.exits,
          add(eventSum, o.eventSum),
          r + o.r,
          add(rx, o.rx),
          add(rxx, o.rxx));
    }
  }

  public CoxStatistics {
    TreeMap<Integer, Bin> merged = new TreeMap<>();
    for (Bin b : bins) {
      if (b.eventSum.length != parameters
          || b.rx.length != parameters
          || b.rxx.length != parameters * parameters) {
        throw new IllegalArgumentException(
            "bin " + b.bin() + " does not match " + parameters + " parameters");
      }
      merged.merge(b.bin(), b, Bin::plus);
    }
    bins = List.copyOf(merged.values());
  }

  public CoxStatistics plus(CoxStatistics o) {
    List<Bin> all = new ArrayList<>(bins);
    all.addAll(o.bins);
    return new CoxStatistics(parameters, all);
  }

  public long n() {
    return bins.stream().mapToLong(Bin::exits).sum();
  }

  public long events() {
    return bins.stream().mapToLong(Bin::events).sum();
  }

  private static double[] add(double[] a, double[] b) {
    double[] s = a.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] += b[i];
    }
    return s;
  }
}
