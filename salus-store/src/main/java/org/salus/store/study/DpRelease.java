package org.salus.store.study;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.salus.core.dp.Skellam;
import org.salus.core.dp.SkellamNoise;
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

/**
 * One noisy release at one node: the exact statistic of an analysis (already clamped to the study's
 * bounds in SQL, see {@link DpSensitivity#bounded}) plus this node's Skellam share, sized for the
 * release's ρ.
 *
 * <p>Counts (count, histogram, quantiles, contingency, Kaplan–Meier risk table) are integer vectors
 * over a domain fixed by the study document, never by the data: a person moves one cell by one (L1
 * = L2 = 1), or in a risk table one (group, bin)'s events and exits by one each (L1 = 2, L2 = √2).
 * Real-valued sums (summary moments, GLM sufficient statistics) are released in fixed point:
 * coordinate k with sensitivity Δₖ is sent as round(v·S/Δₖ), S = {@value #RESOLUTION}, so one
 * person moves each coordinate by at most S + 1 units (the +1 is the node's own rounding) and the
 * d-vector has L2 ≤ (S+1)√d and L1 ≤ (S+1)d.
 *
 * <p>Post-processing after the noise (free in privacy): risk rows are cut to 0 ≤ events ≤ exits (a
 * {@link RiskTable} cannot hold other values), and cells and rows whose released count is zero are
 * left out, as the exact statistics leave them out.
 */
final class DpRelease {

  /** Fixed-point resolution S of real-valued sums. */
  static final long RESOLUTION = 256;

  /** The noisy statistic and the noise its total carries. */
  record Noisy(Statistic statistic, SkellamNoise noise) {}

  private final double rho;
  private final int nodes;
  private final RandomGenerator random;
  private final boolean zeroNoise;

  /**
   * @param rho what this one release may cost
   * @param zeroNoise the node's test mode: the exact statistic goes out unchanged (see {@link
   *     NodeDp})
   */
  DpRelease(double rho, int nodes, RandomGenerator random, boolean zeroNoise) {
    this.rho = rho;
    this.nodes = nodes;
    this.random = random;
    this.zeroNoise = zeroNoise;
  }

  Noisy release(Study study, Analysis analysis, Statistic exact, double[] beta) {
    return switch (exact) {
      case CohortSize c -> {
        Counts n = counts(1, 1, new long[] {c.n()});
        yield new Noisy(new CohortSize(n.values[0]), n.noise);
      }
      case BinCounts b -> bins(b);
      case CrossTable t -> table(study, as(Analysis.Contingency.class, analysis, t), t);
      case RiskTable r -> risk(study, as(Analysis.KaplanMeier.class, analysis, r), r);
      case Moments m -> moments(study, as(Analysis.Summary.class, analysis, m), m);
      case GlmStatistics g -> glm(study, as(Analysis.Glm.class, analysis, g), g, beta);
      default ->
          throw new SalusException(
              "dp.analysis.unsupported",
              "differential privacy has no release for " + exact.getClass().getSimpleName());
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

  private Noisy bins(BinCounts b) {
    long[] v = new long[b.counts().size() + 2];
    for (int i = 0; i < b.counts().size(); i++) {
      v[i] = b.counts().get(i);
    }
    v[v.length - 2] = b.below();
    v[v.length - 1] = b.above();
    Counts n = counts(1, 1, v);
    List<Long> cells = new ArrayList<>();
    for (int i = 0; i < b.counts().size(); i++) {
      cells.add(n.values[i]);
    }
    return new Noisy(
        new BinCounts(b.edges(), cells, n.values[v.length - 2], n.values[v.length - 1]), n.noise);
  }

  private Noisy table(Study study, Analysis.Contingency a, CrossTable exact) {
    List<String> rows = DpSensitivity.labels(study, a.rows());
    List<String> cols = DpSensitivity.labels(study, a.columns());
    long[] v = new long[rows.size() * cols.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < cols.size(); j++) {
        v[i * cols.size() + j] = exact.count(rows.get(i), cols.get(j));
      }
    }
    Counts n = counts(1, 1, v);
    TreeMap<CrossTable.Cell, Long> cells = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < cols.size(); j++) {
        long c = n.values[i * cols.size() + j];
        if (c != 0) {
          cells.put(new CrossTable.Cell(rows.get(i), cols.get(j)), c);
        }
      }
    }
    return new Noisy(new CrossTable(cells), n.noise);
  }

  private Noisy risk(Study study, Analysis.KaplanMeier k, RiskTable exact) {
    List<String> groups = k.group().map(g -> DpSensitivity.labels(study, g)).orElse(List.of("all"));
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
    Counts n = counts(2, Math.sqrt(2), v);
    List<RiskTable.Row> rows = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      for (int b = 0; b <= last; b++) {
        int at = (g * (last + 1) + b) * 2;
        long exits = Math.max(0, n.values[at + 1]);
        long events = Math.min(Math.max(0, n.values[at]), exits);
        if (exits > 0) {
          rows.add(new RiskTable.Row(groups.get(g), b, events, exits));
        }
      }
    }
    return new Noisy(new RiskTable(rows), n.noise);
  }

  private Noisy moments(Study study, Analysis.Summary s, Moments m) {
    double b = DpSensitivity.magnitude(study, s.variable());
    double[] d = {1, b, b * b};
    Fixed f = fixed(new double[] {m.n(), m.sum(), m.sumOfSquares()}, d);
    if (zeroNoise) {
      return new Noisy(m, f.noise);
    }
    return new Noisy(new Moments(Math.round(f.values[0]), f.values[1], f.values[2]), f.noise);
  }

  private Noisy glm(Study study, Analysis.Glm a, GlmStatistics g, double[] beta) {
    int p = g.parameters();
    DpSensitivity.Glm s = DpSensitivity.glm(study, a, beta);
    double[] info = g.information();
    double[] wr = g.weightedResponse();
    int tri = p * (p + 1) / 2;
    double[] v = new double[tri + p + 2];
    double[] d = new double[v.length];
    int k = 0;
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        v[k] = info[i * p + j];
        d[k++] = s.information(i, j);
      }
    }
    for (int i = 0; i < p; i++) {
      v[k] = wr[i];
      d[k++] = s.weightedResponse(i);
    }
    v[k] = g.deviance();
    d[k++] = s.deviance();
    v[k] = g.n();
    d[k] = 1;
    Fixed f = fixed(v, d);
    if (zeroNoise) {
      return new Noisy(g, f.noise);
    }
    double[] a2 = new double[p * p];
    k = 0;
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        a2[i * p + j] = f.values[k];
        a2[j * p + i] = f.values[k++];
      }
    }
    double[] b2 = new double[p];
    for (int i = 0; i < p; i++) {
      b2[i] = f.values[k++];
    }
    double deviance = f.values[k++];
    long n = Math.round(f.values[k]);
    // the binary levels were for the node's own disclosure check; they are counts, not released
    return new Noisy(new GlmStatistics(p, a2, b2, deviance, n, List.of()), f.noise);
  }

  private record Counts(long[] values, SkellamNoise noise) {}

  private record Fixed(double[] values, SkellamNoise noise) {}

  private Counts counts(double l1, double l2, long[] exact) {
    int d = exact.length;
    SkellamNoise noise = SkellamNoise.forRho(rho, nodes, l1, l2);
    if (zeroNoise) {
      return new Counts(exact.clone(), noise);
    }
    Skellam share = noise.share(random);
    long[] out = new long[d];
    for (int i = 0; i < d; i++) {
      out[i] = exact[i] + share.sample();
    }
    return new Counts(out, noise);
  }

  private Fixed fixed(double[] exact, double[] sensitivity) {
    int d = exact.length;
    double unit = RESOLUTION + 1.0;
    SkellamNoise noise = SkellamNoise.forRho(rho, nodes, unit * d, unit * Math.sqrt(d));
    if (zeroNoise) {
      return new Fixed(exact.clone(), noise);
    }
    Skellam share = noise.share(random);
    double[] out = new double[d];
    for (int i = 0; i < d; i++) {
      double scale = RESOLUTION / sensitivity[i];
      long units = Math.round(exact[i] * scale) + share.sample();
      out[i] = units / scale;
    }
    return new Fixed(out, noise);
  }
}
