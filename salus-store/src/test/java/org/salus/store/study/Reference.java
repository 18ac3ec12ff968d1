package org.salus.store.study;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.salus.core.stats.GlmFamily;

/**
 * Reference computations in test code: complete-case rows from the Java populations, and a plain
 * pooled IRLS over them (Newton with the working response written out, Gauss–Jordan solve).
 */
final class Reference {

  private Reference() {}

  record Row(double[] x, double y) {}

  static List<Row> rows(
      List<Population> nodes,
      Function<Population.Patient, java.util.Optional<Double>> outcome,
      List<Function<Population.Patient, java.util.Optional<Double>>> covariates) {
    List<Row> rows = new ArrayList<>();
    for (Population node : nodes) {
      for (Population.Patient p : node.patients()) {
        if (!inCohort(p)) {
          continue;
        }
        var y = outcome.apply(p);
        double[] x = new double[covariates.size() + 1];
        x[0] = 1;
        boolean complete = y.isPresent();
        for (int j = 0; j < covariates.size() && complete; j++) {
          var v = covariates.get(j).apply(p);
          complete = v.isPresent();
          x[j + 1] = v.orElse(0.0);
        }
        if (complete) {
          rows.add(new Row(x, y.get()));
        }
      }
    }
    return rows;
  }

  /** The cohort of the standard test study: female or male, aged 18–90 at the index date. */
  static boolean inCohort(Population.Patient p) {
    return !p.sex().equals("UNKNOWN") && p.age() >= 18 && p.age() <= 90;
  }

  static double[] pooledIrls(GlmFamily family, List<Row> rows) {
    int p = rows.get(0).x().length;
    double[] beta = new double[p];
    for (int iter = 0; iter < 100; iter++) {
      double[][] a = new double[p][p];
      double[] b = new double[p];
      for (Row r : rows) {
        double eta = 0;
        for (int j = 0; j < p; j++) {
          eta += beta[j] * r.x()[j];
        }
        double mu =
            switch (family) {
              case GAUSSIAN -> eta;
              case BINOMIAL -> 1 / (1 + Math.exp(-eta));
              case POISSON -> Math.exp(eta);
            };
        double w =
            family == GlmFamily.GAUSSIAN ? 1 : family == GlmFamily.BINOMIAL ? mu * (1 - mu) : mu;
        double z = eta + (r.y() - mu) / w;
        for (int j = 0; j < p; j++) {
          b[j] += w * r.x()[j] * z;
          for (int k = 0; k < p; k++) {
            a[j][k] += w * r.x()[j] * r.x()[k];
          }
        }
      }
      double[] next = solve(a, b);
      double change = 0;
      for (int j = 0; j < p; j++) {
        change = Math.max(change, Math.abs(next[j] - beta[j]));
      }
      beta = next;
      if (change < 1e-13) {
        break;
      }
    }
    return beta;
  }

  /**
   * Wald standard errors at β: sqrt of the diagonal of φ (XᵀWX)⁻¹, φ = RSS/(n − p) for gaussian.
   */
  static double[] standardErrors(GlmFamily family, List<Row> rows, double[] beta) {
    int p = beta.length;
    double[][] a = new double[p][p];
    double rss = 0;
    for (Row r : rows) {
      double eta = 0;
      for (int j = 0; j < p; j++) {
        eta += beta[j] * r.x()[j];
      }
      double mu =
          switch (family) {
            case GAUSSIAN -> eta;
            case BINOMIAL -> 1 / (1 + Math.exp(-eta));
            case POISSON -> Math.exp(eta);
          };
      rss += (r.y() - mu) * (r.y() - mu);
      double w =
          family == GlmFamily.GAUSSIAN ? 1 : family == GlmFamily.BINOMIAL ? mu * (1 - mu) : mu;
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          a[j][k] += w * r.x()[j] * r.x()[k];
        }
      }
    }
    double phi = family == GlmFamily.GAUSSIAN ? rss / (rows.size() - p) : 1;
    double[] se = new double[p];
    for (int j = 0; j < p; j++) {
      double[] e = new double[p];
      e[j] = 1;
      se[j] = Math.sqrt(phi * solve(a, e)[j]);
    }
    return se;
  }

  static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a0[i], 0, a[i], 0, n);
      a[i][n] = b0[i];
    }
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
          piv = r;
        }
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }
}
