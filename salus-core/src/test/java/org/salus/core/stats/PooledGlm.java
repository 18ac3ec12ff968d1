package org.salus.core.stats;

/**
 * The reference: a plain dense IRLS over all rows (McCullagh &amp; Nelder §2.5) with the working
 * response z written out, solved by Gauss–Jordan elimination, iterated until β stops moving. No
 * code shared with {@link GlmFit}.
 */
final class PooledGlm {

  final double[] beta;
  final double[] standardErrors;
  final double deviance;

  private PooledGlm(double[] beta, double[] se, double deviance) {
    this.beta = beta;
    this.standardErrors = se;
    this.deviance = deviance;
  }

  static PooledGlm fit(GlmFamily family, GlmData data) {
    int p = data.x().get(0).length;
    int n = data.size();
    double[] beta = new double[p];
    double[][] xtwx = new double[p][p];
    for (int iter = 0; iter < 200; iter++) {
      xtwx = new double[p][p];
      double[] xtwz = new double[p];
      for (int i = 0; i < n; i++) {
        double[] r = data.x().get(i);
        double eta = dot(beta, r);
        double mu = inverseLink(family, eta);
        double dmu =
            family == GlmFamily.GAUSSIAN ? 1 : family == GlmFamily.BINOMIAL ? mu * (1 - mu) : mu;
        double variance = family == GlmFamily.GAUSSIAN ? 1 : dmu;
        double w = dmu * dmu / variance;
        double z = eta + (data.y().get(i) - mu) / dmu;
        for (int j = 0; j < p; j++) {
          xtwz[j] += w * r[j] * z;
          for (int k = 0; k < p; k++) {
            xtwx[j][k] += w * r[j] * r[k];
          }
        }
      }
      double[] next = gaussJordan(xtwx, xtwz);
      double change = 0;
      for (int j = 0; j < p; j++) {
        change = Math.max(change, Math.abs(next[j] - beta[j]));
      }
      beta = next;
      if (change < 1e-14) {
        break;
      }
    }
    double dev = deviance(family, data, beta);
    double phi = family == GlmFamily.GAUSSIAN ? dev / (n - p) : 1;
    double[] se = new double[p];
    for (int j = 0; j < p; j++) {
      double[] e = new double[p];
      e[j] = 1;
      se[j] = Math.sqrt(phi * gaussJordan(information(family, data, beta), e)[j]);
    }
    return new PooledGlm(beta, se, dev);
  }

  private static double[][] information(GlmFamily family, GlmData data, double[] beta) {
    int p = beta.length;
    double[][] a = new double[p][p];
    for (int i = 0; i < data.size(); i++) {
      double[] r = data.x().get(i);
      double mu = inverseLink(family, dot(beta, r));
      double w =
          family == GlmFamily.GAUSSIAN ? 1 : family == GlmFamily.BINOMIAL ? mu * (1 - mu) : mu;
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          a[j][k] += w * r[j] * r[k];
        }
      }
    }
    return a;
  }

  private static double deviance(GlmFamily family, GlmData data, double[] beta) {
    double dev = 0;
    for (int i = 0; i < data.size(); i++) {
      double y = data.y().get(i);
      double mu = inverseLink(family, dot(beta, data.x().get(i)));
      dev +=
          switch (family) {
            case GAUSSIAN -> (y - mu) * (y - mu);
            case BINOMIAL -> y == 1 ? -2 * Math.log(mu) : -2 * Math.log(1 - mu);
            case POISSON -> 2 * ((y == 0 ? 0 : y * Math.log(y / mu)) - y + mu);
          };
    }
    return dev;
  }

  private static double inverseLink(GlmFamily family, double eta) {
    return switch (family) {
      case GAUSSIAN -> eta;
      case BINOMIAL -> 1 / (1 + Math.exp(-eta));
      case POISSON -> Math.exp(eta);
    };
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Solves A x = b by Gauss–Jordan elimination with partial pivoting. */
  static double[] gaussJordan(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a0[i], 0, a[i], 0, n);
      a[i][n] = b0[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = a[c];
      a[c] = a[pivot];
      a[pivot] = t;
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
