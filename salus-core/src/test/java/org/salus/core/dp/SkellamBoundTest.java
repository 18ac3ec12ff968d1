package org.salus.core.dp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Skellam cost Salus charges ({@link ZcdpCost#skellam}) against the Rényi divergence D_α(Sk(μ)
 * + Δ ‖ Sk(μ)) computed numerically from the pmf, at integer and non-integer orders α: the charged
 * ξ + ρα must never be below it, and must not be wildly above it (the bound is within a few per
 * cent of the divergence for μ ≫ Δ²).
 */
class SkellamBoundTest {

  /** log P(Sk(μ) = k) for |k| ≤ range, by a log-sum-exp over the two Poissons. */
  private static double[] logPmf(double mu, int range) {
    int jMax = (int) (mu + 60 * Math.sqrt(mu) + 200);
    double[] logPois = new double[jMax + range + 1];
    double logFact = 0;
    for (int j = 0; j < logPois.length; j++) {
      if (j > 0) {
        logFact += Math.log(j);
      }
      logPois[j] = -mu + j * Math.log(mu) - logFact;
    }
    double[] out = new double[2 * range + 1];
    for (int k = 0; k <= range; k++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j + k < logPois.length && j <= jMax; j++) {
        max = Math.max(max, logPois[j + k] + logPois[j]);
      }
      double sum = 0;
      for (int j = 0; j + k < logPois.length && j <= jMax; j++) {
        sum += Math.exp(logPois[j + k] + logPois[j] - max);
      }
      out[range + k] = max + Math.log(sum);
      out[range - k] = out[range + k];
    }
    return out;
  }

  private static double renyi(double[] logP, int range, int shift, double alpha) {
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[logP.length];
    for (int x = -range + shift; x <= range; x++) {
      double t = alpha * logP[range + x - shift] + (1 - alpha) * logP[range + x];
      terms[range + x] = t;
      max = Math.max(max, t);
    }
    double sum = 0;
    for (int x = -range + shift; x <= range; x++) {
      sum += Math.exp(terms[range + x] - max);
    }
    return (max + Math.log(sum)) / (alpha - 1);
  }

  @Test
  void theChargedCostBoundsTheDivergenceAtRealOrders() {
    double[] alphas = {1.05, 1.5, 2, 2.5, 3.7, 6, 10.5, 16};
    for (double mu : new double[] {2, 10, 40, 150}) {
      int range = (int) (mu + 40 * Math.sqrt(mu) + 100);
      double[] logP = logPmf(mu, range);
      for (int delta : new int[] {1, 2, 5}) {
        ZcdpCost cost = ZcdpCost.skellam(delta, mu);
        for (double alpha : alphas) {
          double d = renyi(logP, range, delta, alpha);
          double bound = cost.xi() + cost.rho() * alpha;
          assertThat(d)
              .as("μ %s, Δ %d, α %s", mu, delta, alpha)
              .isLessThanOrEqualTo(bound * (1 + 1e-9));
          if (mu >= 40) {
            // and close: the bound is the Gaussian αΔ²/(4μ) plus O(1/μ²)
            assertThat(d).as("μ %s, Δ %d, α %s", mu, delta, alpha).isGreaterThan(0.8 * bound);
          }
        }
      }
    }
  }

  @Test
  void anUnderChargedCostIsCaught() {
    // the check can fail: half the Gaussian term is below the divergence
    double mu = 40;
    int range = 400;
    double[] logP = logPmf(mu, range);
    for (double alpha : new double[] {1.5, 2, 6}) {
      assertThat(renyi(logP, range, 1, alpha)).isGreaterThan(alpha / (8 * mu));
    }
  }
}
