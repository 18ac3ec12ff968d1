package org.salus.core.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random regression data in test code: rows of covariates (intercept first) and an outcome. */
record GlmData(List<double[]> x, List<Double> y) {

  static GlmData random(GlmFamily family, long seed, int n, int covariates) {
    Random rnd = new Random(seed);
    double[] beta = new double[covariates + 1];
    for (int j = 0; j <= covariates; j++) {
      beta[j] = (rnd.nextDouble() - 0.5) * (family == GlmFamily.GAUSSIAN ? 4 : 0.8);
    }
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] row = new double[covariates + 1];
      row[0] = 1;
      for (int j = 1; j <= covariates; j++) {
        // alternate continuous and binary covariates
        row[j] = j % 2 == 1 ? rnd.nextGaussian() : (rnd.nextDouble() < 0.4 ? 1 : 0);
      }
      double eta = 0;
      for (int j = 0; j <= covariates; j++) {
        eta += beta[j] * row[j];
      }
      xs.add(row);
      ys.add(
          switch (family) {
            case GAUSSIAN -> eta + rnd.nextGaussian() * 1.5;
            case BINOMIAL -> rnd.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1.0 : 0.0;
            case POISSON -> (double) poisson(rnd, Math.exp(eta + 1));
          });
    }
    return new GlmData(xs, ys);
  }

  private static int poisson(Random rnd, double mean) {
    double l = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }

  GlmData slice(int from, int to) {
    return new GlmData(x.subList(from, to), y.subList(from, to));
  }

  int size() {
    return y.size();
  }

  /**
   * What a node computes in SQL, here row by row: XᵀWX, XᵀWz with wz = w·η + (y − μ) (canonical
   * links), and the deviance at β.
   */
  GlmStatistics nodeStatistics(GlmFamily family, double[] beta) {
    int p = beta.length;
    double[] a = new double[p * p];
    double[] b = new double[p];
    double dev = 0;
    for (int i = 0; i < size(); i++) {
      double[] r = x.get(i);
      double yi = y.get(i);
      double eta = 0;
      for (int j = 0; j < p; j++) {
        eta += beta[j] * r[j];
      }
      double mu;
      double w;
      switch (family) {
        case GAUSSIAN -> {
          mu = eta;
          w = 1;
          dev += (yi - mu) * (yi - mu);
        }
        case BINOMIAL -> {
          mu = 1 / (1 + Math.exp(-eta));
          w = mu * (1 - mu);
          dev += -2 * (yi * Math.log(mu) + (1 - yi) * Math.log(1 - mu));
        }
        case POISSON -> {
          mu = Math.exp(eta);
          w = mu;
          dev += 2 * ((yi > 0 ? yi * Math.log(yi / mu) : 0) - (yi - mu));
        }
        default -> throw new AssertionError();
      }
      double wz = w * eta + (yi - mu);
      for (int j = 0; j < p; j++) {
        b[j] += r[j] * wz;
        for (int k = 0; k < p; k++) {
          a[j * p + k] += w * r[j] * r[k];
        }
      }
    }
    return new GlmStatistics(p, a, b, dev, size(), List.of());
  }
}
