package org.salus.store.study;

import java.util.random.RandomGenerator;
import org.salus.core.dp.Skellam;
import org.salus.core.dp.SkellamNoise;
import org.salus.core.error.SalusException;
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
 * <p>The vector layout and its reading back are {@link SecureVectors}; under secure aggregation the
 * node sends the noisy vector masked and the hub reads the sum. Post-processing after the noise
 * (free in privacy): risk rows are cut to 0 ≤ events ≤ exits (a {@code RiskTable} cannot hold other
 * values), and cells and rows whose released count is zero are left out, as the exact statistics
 * leave them out.
 */
final class DpRelease {

  /** Fixed-point resolution S of real-valued sums. */
  static final long RESOLUTION = SecureVectors.RESOLUTION;

  /** The noisy statistic and the noise its total carries. */
  record Noisy(Statistic statistic, SkellamNoise noise) {}

  /** The noisy integer vector ({@link SecureVectors}) and the noise its total carries. */
  record NoisyVector(long[] units, SkellamNoise noise) {}

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

  /** The noisy statistic, read back from the noisy vector (post-processing included). */
  Noisy release(Study study, Analysis analysis, Statistic exact, double[] beta) {
    NoisyVector v = vector(study, analysis, exact, beta);
    if (zeroNoise && !SecureVectors.isCounts(analysis)) {
      // the exact sums go out unchanged, without the fixed point's rounding
      return new Noisy(exact, v.noise());
    }
    return new Noisy(SecureVectors.decode(study, analysis, beta, v.units()), v.noise());
  }

  /**
   * The statistic as its integer vector plus this node's Skellam share in every coordinate (none in
   * the zero-noise mode): what a node contributes to a secure sum.
   */
  NoisyVector vector(Study study, Analysis analysis, Statistic exact, double[] beta) {
    long[] units = SecureVectors.encode(study, analysis, exact, beta);
    int d = units.length;
    SkellamNoise noise;
    if (SecureVectors.isCounts(analysis)) {
      // a person moves one cell by one; in a risk table one bin's events and exits by one each
      noise =
          analysis instanceof Analysis.KaplanMeier
              ? SkellamNoise.forRho(rho, nodes, 2, Math.sqrt(2))
              : SkellamNoise.forRho(rho, nodes, 1, 1);
    } else {
      double unit = RESOLUTION + 1.0;
      noise = SkellamNoise.forRho(rho, nodes, unit * d, unit * Math.sqrt(d));
    }
    if (!zeroNoise) {
      Skellam share = noise.share(random);
      for (int i = 0; i < d; i++) {
        try {
          units[i] = Math.addExact(units[i], share.sample());
        } catch (ArithmeticException e) {
          throw new SalusException(
              SecureVectors.OVERFLOW, "coordinate " + i + " overflowed with its noise");
        }
      }
    }
    return new NoisyVector(units, noise);
  }
}
