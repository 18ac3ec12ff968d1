package org.salus.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CoxFitTest {

  static CoxResult federated(List<SurvivalData> nodes, int p) {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      names.add("x" + j);
    }
    CoxFit fit = CoxFit.start(names, FitSettings.defaults());
    while (fit.step() instanceof Propose step) {
      fit.accept(
          nodes.stream()
              .map(n -> n.coxStatistics(step.beta()))
              .reduce(CoxStatistics::plus)
              .orElseThrow());
    }
    return ((CoxFit.Converged) fit.step()).result();
  }

  @Test
  void leukemiaBreslowMatchesTextbook() {
    CoxResult r = federated(SurvivalData.leukemia().split(3), 1);
    Coefficient rx = r.coefficients().get(0);
    assertThat(rx.estimate()).isCloseTo(1.509, within(0.0005));
    assertThat(Math.exp(rx.estimate())).isCloseTo(4.523, within(0.0005));
    assertThat(rx.standardError()).isCloseTo(0.410, within(0.0005));
    assertThat(r.logPartialLikelihood()).isCloseTo(-86.380, within(0.0005));
    assertThat(r.events()).isEqualTo(30);
    assertThat(r.n()).isEqualTo(42);
  }

  @Property(tries = 30)
  void federatedEqualsPooledNewton(
      @ForAll long seed,
      @ForAll @IntRange(min = 40, max = 250) int n,
      @ForAll @IntRange(min = 1, max = 3) int p) {
    SurvivalData all = SurvivalData.random(seed, n, p);
    double[] pooled = pooledNewton(all, p);
    CoxResult fed = federated(all.split(3), p);
    for (int j = 0; j < p; j++) {
      assertThat(fed.coefficients().get(j).estimate()).isCloseTo(pooled[j], within(1e-8));
    }
  }

  /** Newton–Raphson on the Breslow partial likelihood, risk sets found by scanning all subjects. */
  static double[] pooledNewton(SurvivalData d, int p) {
    double[] beta = new double[p];
    for (int iter = 0; iter < 100; iter++) {
      double[] u = new double[p];
      double[][] info = new double[p][p];
      for (SurvivalData.Subject e : d.subjects()) {
        if (!e.event()) {
          continue;
        }
        double s0 = 0;
        double[] s1 = new double[p];
        double[][] s2 = new double[p][p];
        for (SurvivalData.Subject r : d.subjects()) {
          if (r.time() >= e.time()) {
            double w = Math.exp(dot(beta, r.x()));
            s0 += w;
            for (int i = 0; i < p; i++) {
              s1[i] += w * r.x()[i];
              for (int j = 0; j < p; j++) {
                s2[i][j] += w * r.x()[i] * r.x()[j];
              }
            }
          }
        }
        for (int i = 0; i < p; i++) {
          u[i] += e.x()[i] - s1[i] / s0;
          for (int j = 0; j < p; j++) {
            info[i][j] += s2[i][j] / s0 - s1[i] * s1[j] / (s0 * s0);
          }
        }
      }
      double[] delta = PooledGlm.gaussJordan(info, u);
      double change = 0;
      for (int j = 0; j < p; j++) {
        beta[j] += delta[j];
        change = Math.max(change, Math.abs(delta[j]));
      }
      if (change < 1e-13) {
        break;
      }
    }
    return beta;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
