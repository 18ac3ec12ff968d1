package org.salus.store.study;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.salus.core.error.SalusException;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.Moments;
import org.salus.core.stats.RiskTable;
import org.salus.core.stats.Statistic;
import org.salus.core.study.Analysis;
import org.salus.core.study.Study;
import org.salus.core.study.run.StepRequest;
import org.salus.core.study.run.StepVectors;

/**
 * A step's statistic as a fixed-length integer vector, the form both the DP release ({@link
 * DpRelease} adds its Skellam share to each coordinate) and secure aggregation (the nodes' vectors
 * are summed mod 2^64 under masks) use. The shape follows from the study document and the step
 * alone: counts over the declared bins and label domains, risk tables over the declared groups and
 * bins up to the horizon, real sums in fixed point with S = {@value #RESOLUTION} units per
 * sensitivity (see docs/secagg-dp.md, "What is released and its sensitivity").
 *
 * <p>{@link #decode} reads a vector — one node's, or the sum of several — back into a statistic and
 * does the post-processing a noisy vector needs: risk rows cut to 0 ≤ events ≤ exits, cells and
 * rows whose count is 0 left out, n rounded.
 */
public final class SecureVectors implements StepVectors {

  /** Fixed-point resolution S of real-valued sums: units per sensitivity. */
  public static final long RESOLUTION = 256;

  /** Stable code of a value that would not fit the vector's 64-bit ring without wrapping. */
  public static final String OVERFLOW = "secagg.encode.overflow";

  /** Largest magnitude one coordinate may have before rounding: far below 2^63. */
  private static final double LIMIT = 0x1p62;

  @Override
  public int length(Study study, StepRequest step) {
    return length(study, analysis(study, step), step.beta().size());
  }

  @Override
  public Statistic decode(Study study, StepRequest step, long[] sum, int contributors) {
    return decode(study, analysis(study, step), step.betaArray(), sum);
  }

  /** The vector of one node's exact statistic, without noise. */
  public static long[] encode(Study study, StepRequest step, Statistic exact) {
    return encode(study, analysis(study, step), exact, step.betaArray());
  }

  /**
   * Refuses a vector whose sum over {@code participants} nodes could wrap mod 2^64: every
   * coordinate must be at most (2^63 − 1)/participants in magnitude.
   */
  public static void requireFits(long[] vector, int participants) {
    long limit = Long.MAX_VALUE / Math.max(1, participants);
    for (int i = 0; i < vector.length; i++) {
      if (vector[i] > limit || vector[i] < -limit) {
        throw new SalusException(
            OVERFLOW,
            "coordinate "
                + i
                + " of the step's vector is too large to sum over "
                + participants
                + " nodes without wrapping; narrow the bounds");
      }
    }
  }

  private static Analysis analysis(Study study, StepRequest step) {
    if (step.analysis() >= study.analyses().size()) {
      throw new SalusException(
          "study.step.invalid", "the study has no analysis " + step.analysis());
    }
    return study.analyses().get(step.analysis());
  }

  static int length(Study study, Analysis analysis, int parameters) {
    return switch (analysis) {
      case Analysis.Count c -> 1;
      case Analysis.Histogram h -> h.edges().size() + 1;
      case Analysis.Quantiles q -> q.bins() + 2;
      case Analysis.Contingency t ->
          DpSensitivity.labels(study, t.rows()).size()
              * DpSensitivity.labels(study, t.columns()).size();
      case Analysis.KaplanMeier k ->
          groups(study, k).size() * (DpSensitivity.lastBin(study, k) + 1) * 2;
      case Analysis.Summary s -> 3;
      case Analysis.Glm g -> {
        int p = g.covariates().size() + 1;
        yield p * (p + 1) / 2 + p + 2;
      }
      case Analysis.Cox x ->
          throw new SalusException(
              "secagg.analysis.unsupported",
              "a Cox model's risk sets follow the data; it has no fixed-length vector");
    };
  }

  /** Whether the vector's coordinates are counts (else fixed-point real sums). */
  static boolean isCounts(Analysis analysis) {
    return !(analysis instanceof Analysis.Summary || analysis instanceof Analysis.Glm);
  }

  static long[] encode(Study study, Analysis analysis, Statistic exact, double[] beta) {
    return switch (exact) {
      case CohortSize c -> {
        as(Analysis.Count.class, analysis, exact);
        yield new long[] {c.n()};
      }
      case BinCounts b -> bins(b);
      case CrossTable t -> table(study, as(Analysis.Contingency.class, analysis, t), t);
      case RiskTable r -> risk(study, as(Analysis.KaplanMeier.class, analysis, r), r);
      case Moments m -> {
        Analysis.Summary s = as(Analysis.Summary.class, analysis, m);
        yield fixed(new double[] {m.n(), m.sum(), m.sumOfSquares()}, momentsSensitivity(study, s));
      }
      case GlmStatistics g -> glm(study, as(Analysis.Glm.class, analysis, g), g, beta);
      default ->
          throw new SalusException(
              "secagg.analysis.unsupported",
              "no vector form for " + exact.getClass().getSimpleName());
    };
  }

  private static <A extends Analysis> A as(Class<A> type, Analysis analysis, Statistic exact) {
    if (!type.isInstance(analysis)) {
      throw new SalusException(
          "dp.analysis.unsupported",
          "a " + exact.getClass().getSimpleName() + " is not the release of this analysis");
    }
    return type.cast(analysis);
  }

  static Statistic decode(Study study, Analysis analysis, double[] beta, long[] v) {
    int expected = length(study, analysis, beta.length);
    if (v.length != expected) {
      throw new SalusException(
          "secagg.vector.length",
          "a vector of " + v.length + " for a step whose vector has " + expected);
    }
    return switch (analysis) {
      case Analysis.Count c -> new CohortSize(v[0]);
      case Analysis.Histogram h -> binsOf(h.edges(), v);
      case Analysis.Quantiles q -> binsOf(fineEdges(q), v);
      case Analysis.Contingency t -> tableOf(study, t, v);
      case Analysis.KaplanMeier k -> riskOf(study, k, v);
      case Analysis.Summary s -> {
        double[] f = unfix(v, momentsSensitivity(study, s));
        yield new Moments(Math.round(f[0]), f[1], f[2]);
      }
      case Analysis.Glm g -> glmOf(study, g, beta, v);
      case Analysis.Cox x ->
          throw new SalusException(
              "secagg.analysis.unsupported", "a Cox model has no fixed-length vector");
    };
  }

  /**
   * The edges of a quantiles analysis's fine histogram, as the node's SQL bins it ({@code
   * NodeAggregates.fineHistogram}): the hub needs them to read the summed counts.
   */
  static List<Double> fineEdges(Analysis.Quantiles q) {
    List<Double> edges = new ArrayList<>();
    for (int i = 0; i <= q.bins(); i++) {
      edges.add(i == q.bins() ? q.max() : q.min() + i * (q.max() - q.min()) / q.bins());
    }
    return edges;
  }

  // --- counts

  private static long[] bins(BinCounts b) {
    long[] v = new long[b.counts().size() + 2];
    for (int i = 0; i < b.counts().size(); i++) {
      v[i] = b.counts().get(i);
    }
    v[v.length - 2] = b.below();
    v[v.length - 1] = b.above();
    return v;
  }

  private static BinCounts binsOf(List<Double> edges, long[] v) {
    List<Long> cells = new ArrayList<>();
    for (int i = 0; i < v.length - 2; i++) {
      cells.add(v[i]);
    }
    return new BinCounts(edges, cells, v[v.length - 2], v[v.length - 1]);
  }

  private static long[] table(Study study, Analysis.Contingency a, CrossTable exact) {
    List<String> rows = DpSensitivity.labels(study, a.rows());
    List<String> cols = DpSensitivity.labels(study, a.columns());
    long[] v = new long[rows.size() * cols.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < cols.size(); j++) {
        v[i * cols.size() + j] = exact.count(rows.get(i), cols.get(j));
      }
    }
    return v;
  }

  private static CrossTable tableOf(Study study, Analysis.Contingency a, long[] v) {
    List<String> rows = DpSensitivity.labels(study, a.rows());
    List<String> cols = DpSensitivity.labels(study, a.columns());
    TreeMap<CrossTable.Cell, Long> cells = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < cols.size(); j++) {
        long c = v[i * cols.size() + j];
        if (c != 0) {
          cells.put(new CrossTable.Cell(rows.get(i), cols.get(j)), c);
        }
      }
    }
    return new CrossTable(cells);
  }

  private static List<String> groups(Study study, Analysis.KaplanMeier k) {
    return k.group().map(g -> DpSensitivity.labels(study, g)).orElse(List.of("all"));
  }

  private static long[] risk(Study study, Analysis.KaplanMeier k, RiskTable exact) {
    List<String> groups = groups(study, k);
    int last = DpSensitivity.lastBin(study, k);
    long[] v = new long[groups.size() * (last + 1) * 2];
    for (RiskTable.Row r : exact.rows()) {
      int g = groups.indexOf(r.group());
      if (g < 0) {
        continue; // outside the declared groups: not released
      }
      int bin = Math.min(r.bin(), last);
      int at = (g * (last + 1) + bin) * 2;
      // past the horizon a person is censored at it: counted as an exit of the last bin only
      v[at] += r.bin() <= last ? r.events() : 0;
      v[at + 1] += r.exits();
    }
    return v;
  }

  private static RiskTable riskOf(Study study, Analysis.KaplanMeier k, long[] v) {
    List<String> groups = groups(study, k);
    int last = DpSensitivity.lastBin(study, k);
    List<RiskTable.Row> rows = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      for (int b = 0; b <= last; b++) {
        int at = (g * (last + 1) + b) * 2;
        long exits = Math.max(0, v[at + 1]);
        long events = Math.min(Math.max(0, v[at]), exits);
        if (exits > 0) {
          rows.add(new RiskTable.Row(groups.get(g), b, events, exits));
        }
      }
    }
    return new RiskTable(rows);
  }

  // --- fixed point

  private static double[] momentsSensitivity(Study study, Analysis.Summary s) {
    double b = DpSensitivity.magnitude(study, s.variable());
    return new double[] {1, b, b * b};
  }

  /** Coordinate k with sensitivity Δₖ as round(v·S/Δₖ); refuses one that could overflow. */
  static long[] fixed(double[] exact, double[] sensitivity) {
    long[] out = new long[exact.length];
    for (int i = 0; i < exact.length; i++) {
      double x = exact[i] * (RESOLUTION / sensitivity[i]);
      if (!Double.isFinite(x) || Math.abs(x) > LIMIT) {
        throw new SalusException(
            OVERFLOW,
            "coordinate " + i + " of the step's vector is not finite or too large to encode");
      }
      out[i] = Math.round(x);
    }
    return out;
  }

  private static double[] unfix(long[] units, double[] sensitivity) {
    double[] out = new double[units.length];
    for (int i = 0; i < units.length; i++) {
      out[i] = units[i] / (RESOLUTION / sensitivity[i]);
    }
    return out;
  }

  private static double[] glmSensitivity(Study study, Analysis.Glm a, double[] beta) {
    int p = beta.length;
    DpSensitivity.Glm s = DpSensitivity.glm(study, a, beta);
    double[] d = new double[p * (p + 1) / 2 + p + 2];
    int k = 0;
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        d[k++] = s.information(i, j);
      }
    }
    for (int i = 0; i < p; i++) {
      d[k++] = s.weightedResponse(i);
    }
    d[k++] = s.deviance();
    d[k] = 1;
    return d;
  }

  private static long[] glm(Study study, Analysis.Glm a, GlmStatistics g, double[] beta) {
    int p = g.parameters();
    if (p != beta.length) {
      throw new SalusException("study.step.invalid", "β has the wrong length for this GLM");
    }
    double[] info = g.information();
    double[] wr = g.weightedResponse();
    double[] v = new double[p * (p + 1) / 2 + p + 2];
    int k = 0;
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        v[k++] = info[i * p + j];
      }
    }
    for (int i = 0; i < p; i++) {
      v[k++] = wr[i];
    }
    v[k++] = g.deviance();
    v[k] = g.n();
    return fixed(v, glmSensitivity(study, a, beta));
  }

  private static GlmStatistics glmOf(Study study, Analysis.Glm a, double[] beta, long[] units) {
    int p = beta.length;
    double[] f = unfix(units, glmSensitivity(study, a, beta));
    double[] a2 = new double[p * p];
    int k = 0;
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        a2[i * p + j] = f[k];
        a2[j * p + i] = f[k++];
      }
    }
    double[] b2 = new double[p];
    for (int i = 0; i < p; i++) {
      b2[i] = f[k++];
    }
    double deviance = f[k++];
    long n = Math.round(f[k]);
    // the binary levels were for the node's own disclosure check; they are counts, not released
    return new GlmStatistics(p, a2, b2, deviance, n, List.of());
  }
}
