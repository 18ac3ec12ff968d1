package org.salus.core.dp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The large-λ Poisson sampler (envelope rejection) against the exact Poisson pmf, around and past
 * the switch from the linear chain; and a λ far beyond what the chain could draw in test time.
 */
class PoissonDistributionTest {

  private static double logPmf(double lambda, long k) {
    double logP = -lambda + k * Math.log(lambda);
    for (long i = 2; i <= k; i++) {
      logP -= Math.log(i);
    }
    return logP;
  }

  private static void check(long num, long den, long draws, long seed) {
    double lambda = (double) num / den;
    long centre = Math.round(lambda);
    int range = (int) Math.ceil(3.5 * Math.sqrt(lambda));
    ExactRandom random = new ExactRandom(new SplittableRandom(seed));
    BigInteger a = BigInteger.valueOf(num);
    BigInteger b = BigInteger.valueOf(den);
    Map<Long, Long> counts =
        ChiSquare.histogram(draws, () -> Poisson.sample(random, a, b) - centre);
    LongToDoubleFunction pmf = x -> x + centre < 0 ? 0 : Math.exp(logPmf(lambda, x + centre));
    ChiSquare.Result chi = ChiSquare.test(counts, draws, pmf, range);
    assertThat(chi.statistic())
        .as("λ = %s, chi-square with df %d", lambda, chi.degreesOfFreedom())
        .isLessThan(chi.critical999());
  }

  @Test
  void justAboveTheSwitch() {
    check(LARGE_NUM, 1, 200_000, 1);
  }

  @Test
  void aRationalHundred() {
    check(201, 2, 200_000, 2);
  }

  @Test
  void aThirdOfTwoThousand() {
    check(2000, 3, 100_000, 3);
  }

  @Test
  void aWrongLambdaIsDetected() {
    double lambda = 101;
    long centre = 101;
    ExactRandom random = new ExactRandom(new SplittableRandom(4));
    long draws = 200_000;
    Map<Long, Long> counts =
        ChiSquare.histogram(
            draws, () -> Poisson.sample(random, BigInteger.valueOf(201), BigInteger.TWO) - centre);
    ChiSquare.Result chi =
        ChiSquare.test(counts, draws, x -> Math.exp(logPmf(lambda, x + centre)), 35);
    assertThat(chi.statistic()).isGreaterThan(chi.critical999());
  }

  @Test
  void aHundredMillionHasItsMeanAndVariance() {
    long lambda = 100_000_000L;
    ExactRandom random = new ExactRandom(new SplittableRandom(5));
    int draws = 4000;
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < draws; i++) {
      double x = Poisson.sample(random, BigInteger.valueOf(lambda), BigInteger.ONE) - lambda;
      sum += x;
      sumSq += x * x;
    }
    double mean = sum / draws;
    double var = sumSq / draws - mean * mean;
    assertThat(Math.abs(mean)).isLessThan(5 * Math.sqrt(lambda / (double) draws));
    // the sample variance of 4000 draws is within ±11% of λ with overwhelming probability
    assertThat(var / lambda).isBetween(0.89, 1.11);
  }

  private static final long LARGE_NUM = Poisson.LARGE + 1;
}
