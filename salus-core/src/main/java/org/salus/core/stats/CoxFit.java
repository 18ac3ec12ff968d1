package org.salus.core.stats;

import java.util.ArrayList;
import java.util.List;
import org.salus.core.error.SalusException;

/**
 * The hub's side of a federated Cox proportional hazards fit by Newton–Raphson on the Breslow
 * partial likelihood (Cox, JRSS B 34, 1972; Breslow 1974 for ties). Each round the hub proposes β,
 * nodes return {@link CoxStatistics} per bin, and the hub forms, over bins t with d events, l = Σ
 * (sᵀβ − d log S0), U = Σ (s − d S1/S0), I = Σ d (S2/S0 − S1S1ᵀ/S0²) from the risk-set sums
 * accumulated over bins ≥ t. Stops when l changes by less than ε relatively.
 */
public final class CoxFit {

  /** Stable code when the fit does not converge. */
  public static final String NOT_CONVERGED = "study.cox.not-converged";

  /** Where the fit stands. */
  public sealed interface Step permits Propose, Converged {}

  /** The fit is done. */
  public record Converged(CoxResult result) implements Step {}

  @SuppressWarnings("ArrayRecordComponent") // private, never compared
  private record Score(double logLikelihood, double[] gradient, double[] information) {}

  private final List<String> names;
  private final FitSettings settings;
  private Step step;
  private double previous = Double.NaN;

  private CoxFit(List<String> names, FitSettings settings) {
    this.names = List.copyOf(names);
    this.settings = settings;
    this.step = new Propose(0, new double[names.size()]);
  }

  public static CoxFit start(List<String> covariateNames, FitSettings settings) {
    if (covariateNames.isEmpty()) {
      throw new IllegalArgumentException("a Cox model needs at least one covariate");
    }
    return new CoxFit(covariateNames, settings);
  }

  public Step step() {
    return step;
  }

  /** Takes the nodes' summed statistics at the proposed β and moves on. */
  public Step accept(CoxStatistics total) {
    if (!(step instanceof Propose proposal)) {
      throw new IllegalStateException("the fit has converged; it takes no more statistics");
    }
    int p = names.size();
    if (total.parameters() != p) {
      throw new IllegalArgumentException("statistics for " + total.parameters() + " covariates");
    }
    Score s = score(total, proposal.beta());
    Cholesky chol = Cholesky.of(s.information(), p);
    if (proposal.iteration() > 0 && settings.converged(previous, s.logLikelihood())) {
      double[] variances = chol.inverseDiagonal();
      double zc = settings.zCritical();
      List<Coefficient> cs = new ArrayList<>();
      for (int j = 0; j < p; j++) {
        cs.add(Coefficient.wald(names.get(j), proposal.beta()[j], variances[j], zc));
      }
      step =
          new Converged(
              new CoxResult(
                  cs, s.logLikelihood(), total.n(), total.events(), proposal.iteration()));
      return step;
    }
    if (proposal.iteration() + 1 > settings.maxIterations()
        || !Double.isFinite(s.logLikelihood())) {
      throw new SalusException(
          NOT_CONVERGED, "no convergence after " + proposal.iteration() + " iterations");
    }
    previous = s.logLikelihood();
    double[] delta = chol.solve(s.gradient());
    double[] next = proposal.beta();
    for (int j = 0; j < p; j++) {
      next[j] += delta[j];
    }
    step = new Propose(proposal.iteration() + 1, next);
    return step;
  }

  private static Score score(CoxStatistics total, double[] beta) {
    int p = beta.length;
    double s0 = 0;
    double[] s1 = new double[p];
    double[] s2 = new double[p * p];
    double l = 0;
    double[] u = new double[p];
    double[] info = new double[p * p];
    List<CoxStatistics.Bin> bins = total.bins();
    for (int k = bins.size() - 1; k >= 0; k--) {
      CoxStatistics.Bin b = bins.get(k);
      s0 += b.r();
      double[] rx = b.rx();
      double[] rxx = b.rxx();
      for (int i = 0; i < p; i++) {
        s1[i] += rx[i];
      }
      for (int i = 0; i < p * p; i++) {
        s2[i] += rxx[i];
      }
      long d = b.events();
      if (d == 0) {
        continue;
      }
      double[] es = b.eventSum();
      l -= d * Math.log(s0);
      for (int i = 0; i < p; i++) {
        l += es[i] * beta[i];
        u[i] += es[i] - d * s1[i] / s0;
        for (int j = 0; j < p; j++) {
          info[i * p + j] += d * (s2[i * p + j] / s0 - s1[i] * s1[j] / (s0 * s0));
        }
      }
    }
    return new Score(l, u, info);
  }
}
