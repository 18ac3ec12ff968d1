package org.salus.core.stats;

import java.util.ArrayList;
import java.util.List;
import org.salus.core.error.SalusException;

/**
 * The hub's side of a federated GLM fitted by iteratively reweighted least squares (McCullagh &amp;
 * Nelder 1989, §2.5). Each round the hub proposes β; every node returns XᵀWX, XᵀWz and the deviance
 * at β for its own rows; their sums are those of the pooled data, so the next β = (ΣXᵀWX)⁻¹ ΣXᵀWz
 * is the pooled IRLS step and the fit equals the pooled fit. Stops when the deviance changes by
 * less than ε relatively; the covariance is φ(XᵀWX)⁻¹ at the final β.
 *
 * <p>Use: {@code while (fit.step() instanceof Propose p)
 * fit.accept(sumOfNodeStatistics(p.beta()))}.
 */
public final class GlmFit {

  /** Stable code when the fit does not converge in the allowed rounds. */
  public static final String NOT_CONVERGED = "study.glm.not-converged";

  /** Stable code when the node sums are not finite (separation, overflow). */
  public static final String DIVERGED = "study.glm.diverged";

  /** Where the fit stands. */
  public sealed interface Step permits Propose, Converged {}

  /** The fit is done. */
  public record Converged(GlmResult result) implements Step {}

  private final GlmFamily family;
  private final List<String> names;
  private final FitSettings settings;
  private Step step;
  private double previousDeviance = Double.NaN;

  private int lastRound;
  private final boolean stopsAtLastRound;

  private GlmFit(
      GlmFamily family,
      List<String> names,
      FitSettings settings,
      int lastRound,
      boolean stopsAtLastRound) {
    this.family = family;
    this.names = List.copyOf(names);
    this.settings = settings;
    this.lastRound = lastRound;
    this.stopsAtLastRound = stopsAtLastRound;
    this.step = new Propose(0, new double[names.size()]);
  }

  /** A fit of {@code parameterNames} (intercept first), starting from β = 0. */
  public static GlmFit start(GlmFamily family, List<String> parameterNames, FitSettings settings) {
    if (parameterNames.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one parameter");
    }
    return new GlmFit(family, parameterNames, settings, settings.maxIterations(), false);
  }

  /**
   * A fit on noisy statistics that may see at most {@code rounds} of them (each round is a
   * differentially private release, and the budget pays for exactly that many). It stops early if
   * the deviance converges, as {@link #start} does; otherwise the last round ends the fit with the
   * β it was evaluated at, and the result's iteration count says the round budget ran out ({@code
   * iterations == rounds − 1}) instead of failing with {@link #NOT_CONVERGED}.
   */
  public static GlmFit startWithinRounds(
      GlmFamily family, List<String> parameterNames, FitSettings settings, int rounds) {
    if (parameterNames.isEmpty() || rounds < 1) {
      throw new IllegalArgumentException("a model needs a parameter and at least one round");
    }
    return new GlmFit(family, parameterNames, settings, rounds - 1, true);
  }

  public Step step() {
    return step;
  }

  /**
   * The nodes whose statistics are summed changed (a node dropped out of a secure round): the next
   * statistics are not compared with the previous ones for convergence, whose deviance was over
   * other nodes.
   */
  public void forgetDeviance() {
    previousDeviance = Double.NaN;
  }

  /**
   * One of the fit's rounds was released by the nodes without reaching it (a step run again after a
   * secure round lost a node, each release charged): a fit within rounds ends one round earlier,
   * when the nodes still have a release for it, instead of asking for one they no longer have. No
   * effect on a fit without a round budget.
   */
  public void loseRound() {
    if (stopsAtLastRound && lastRound > 0) {
      lastRound--;
    }
  }

  /** Takes the nodes' summed statistics at the proposed β and moves to the next step. */
  public Step accept(GlmStatistics total) {
    if (!(step instanceof Propose proposal)) {
      throw new IllegalStateException("the fit has converged; it takes no more statistics");
    }
    int p = names.size();
    if (total.parameters() != p) {
      throw new IllegalArgumentException(
          "statistics for " + total.parameters() + " parameters, model has " + p);
    }
    if (!total.isFinite()) {
      throw new SalusException(
          DIVERGED, "node statistics are not finite at iteration " + proposal.iteration());
    }
    Cholesky chol = Cholesky.of(total.information(), p);
    double deviance = total.deviance();
    if (proposal.iteration() > 0 && settings.converged(previousDeviance, deviance)) {
      step = new Converged(result(proposal, total, chol));
      return step;
    }
    if (proposal.iteration() >= lastRound) {
      if (stopsAtLastRound) {
        step = new Converged(result(proposal, total, chol));
        return step;
      }
      throw new SalusException(
          NOT_CONVERGED,
          "no convergence after "
              + settings.maxIterations()
              + " iterations (deviance "
              + deviance
              + ")");
    }
    previousDeviance = deviance;
    step = new Propose(proposal.iteration() + 1, chol.solve(total.weightedResponse()));
    return step;
  }

  private GlmResult result(Propose proposal, GlmStatistics total, Cholesky chol) {
    int p = names.size();
    double dispersion =
        family.estimatesDispersion() ? total.deviance() / Math.max(1, total.n() - p) : 1;
    double[] variances = chol.inverseDiagonal();
    double[] beta = proposal.beta();
    double zc = settings.zCritical();
    List<Coefficient> coefficients = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      coefficients.add(Coefficient.wald(names.get(j), beta[j], dispersion * variances[j], zc));
    }
    return new GlmResult(
        family, coefficients, total.deviance(), dispersion, total.n(), proposal.iteration());
  }
}
