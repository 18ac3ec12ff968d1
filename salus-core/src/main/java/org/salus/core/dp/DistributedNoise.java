package org.salus.core.dp;

/**
 * Noise for an integer sum computed under secure aggregation: each of n nodes adds its share, so
 * that the total carries the calibrated noise and no node's share alone needs to protect anyone.
 * Skellam shares sum exactly to Sk(μ); with one node, that node adds all of it.
 *
 * @param totalMu the Skellam parameter of the total noise
 * @param nodes how many nodes add a share
 * @param sensitivity the L2 (= L1, scalar) sensitivity of the sum, in integer units
 */
public record DistributedNoise(Rational totalMu, int nodes, long sensitivity) {

  public DistributedNoise {
    if (nodes < 1 || sensitivity < 1 || totalMu.isZero()) {
      throw new DpException(
          "dp.parameter.invalid",
          "nodes, sensitivity and μ must be positive for distributed noise");
    }
  }

  /** The smallest μ (rounded up to an integer) whose Skellam total costs at most {@code rho}. */
  public static DistributedNoise skellamForRho(double rho, int nodes, long sensitivity) {
    long mu = SkellamNoise.forRho(rho, nodes, sensitivity, sensitivity).mu();
    return new DistributedNoise(Rational.of(mu, 1), nodes, sensitivity);
  }

  /** This node's share: a Skellam sampler of μ/n. */
  public Skellam share() {
    return new Skellam(totalMu.divide(nodes));
  }

  /** This node's share drawn from {@code random} (a seeded source only in tests). */
  public Skellam share(java.util.random.RandomGenerator random) {
    return new Skellam(totalMu.divide(nodes), random);
  }

  /** What the total noise costs (ρ and ξ for the declared sensitivity). */
  public ZcdpCost cost() {
    return ZcdpCost.skellam((double) sensitivity, totalMu.toDouble());
  }
}
