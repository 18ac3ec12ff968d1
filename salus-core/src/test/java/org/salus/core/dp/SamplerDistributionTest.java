package org.salus.core.dp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The exact samplers against their exact pmfs, with a fixed seed through the package-private door.
 * Tolerance: the chi-square statistic stays below its 99.9% quantile; mean within 5 standard errors
 * of 0; variance within 2% of the pmf's.
 */
class SamplerDistributionTest {

  private static LongToDoubleFunction normalised(LongToDoubleFunction weight, int support) {
    double z = 0;
    for (long x = -support; x <= support; x++) {
      z += weight.applyAsDouble(x);
    }
    double total = z;
    return x -> weight.applyAsDouble(x) / total;
  }

  private static double variance(LongToDoubleFunction pmf, int support) {
    double v = 0;
    for (long x = -support; x <= support; x++) {
      v += x * x * pmf.applyAsDouble(x);
    }
    return v;
  }

  private static void check(
      Map<Long, Long> counts, long draws, LongToDoubleFunction pmf, int range, int support) {
    ChiSquare.Result chi = ChiSquare.test(counts, draws, pmf, range);
    assertThat(chi.statistic())
        .as("chi-square, df %d", chi.degreesOfFreedom())
        .isLessThan(chi.critical999());
    double sum = 0;
    double sumSq = 0;
    for (var e : counts.entrySet()) {
      sum += e.getKey() * (double) e.getValue();
      sumSq += e.getKey() * (double) e.getKey() * e.getValue();
    }
    double mean = sum / draws;
    double var = sumSq / draws - mean * mean;
    double trueVar = variance(pmf, support);
    assertThat(Math.abs(mean)).isLessThan(5 * Math.sqrt(trueVar / draws));
    assertThat(var).isCloseTo(trueVar, org.assertj.core.data.Percentage.withPercentage(2));
  }

  @Test
  void discreteGaussianMillionDraws() {
    Rational sigma2 = Rational.of(9, 2); // σ² = 4.5
    DiscreteGaussian g = new DiscreteGaussian(sigma2, new SplittableRandom(20260101L));
    long draws = 1_000_000;
    Map<Long, Long> counts = ChiSquare.histogram(draws, g::sample);
    LongToDoubleFunction pmf = normalised(x -> Math.exp(-x * x / 9.0), 200);
    check(counts, draws, pmf, 8, 200);
  }

  @Test
  void discreteGaussianSmallAndLargeSigma() {
    for (Rational sigma2 : new Rational[] {Rational.of(1, 3), Rational.of(400, 1)}) {
      DiscreteGaussian g = new DiscreteGaussian(sigma2, new SplittableRandom(7));
      long draws = 200_000;
      double s2 = sigma2.toDouble();
      LongToDoubleFunction pmf = normalised(x -> Math.exp(-x * x / (2 * s2)), 2000);
      check(
          ChiSquare.histogram(draws, g::sample),
          draws,
          pmf,
          (int) Math.ceil(3 * Math.sqrt(s2)),
          2000);
    }
  }

  @Test
  void discreteLaplace() {
    Rational scale = Rational.of(5, 2);
    DiscreteLaplace l = new DiscreteLaplace(scale, new SplittableRandom(11));
    long draws = 300_000;
    LongToDoubleFunction pmf = normalised(x -> Math.exp(-Math.abs(x) / 2.5), 500);
    check(ChiSquare.histogram(draws, l::sample), draws, pmf, 10, 500);
  }

  private static double poisson(double mu, int k) {
    double logP = -mu + k * Math.log(mu);
    for (int i = 2; i <= k; i++) {
      logP -= Math.log(i);
    }
    return Math.exp(logP);
  }

  /** Sk(μ) pmf by convolution of two Poisson(μ) pmfs. */
  private static LongToDoubleFunction skellamPmf(double mu) {
    return x -> {
      double p = 0;
      for (int j = 0; j < 400; j++) {
        int k = j + (int) Math.abs(x);
        p += poisson(mu, k) * poisson(mu, j);
      }
      return p;
    };
  }

  @Test
  void fourSkellamSharesSumToTheTotal() {
    DistributedNoise noise = new DistributedNoise(Rational.of(3, 1), 4, 1);
    SplittableRandom random = new SplittableRandom(99);
    Skellam[] shares = new Skellam[4];
    for (int i = 0; i < 4; i++) {
      shares[i] = noise.share(random.split());
      assertThat(shares[i].mu()).isEqualTo(Rational.of(3, 4));
    }
    long draws = 300_000;
    Map<Long, Long> counts =
        ChiSquare.histogram(
            draws,
            () ->
                shares[0].sample() + shares[1].sample() + shares[2].sample() + shares[3].sample());
    check(counts, draws, skellamPmf(3), 7, 60);
  }

  @Test
  void oneNodeAddsAllOfIt() {
    DistributedNoise noise = new DistributedNoise(Rational.of(5, 2), 1, 1);
    Skellam s = noise.share(new SplittableRandom(5));
    assertThat(s.mu()).isEqualTo(Rational.of(5, 2));
    long draws = 200_000;
    check(ChiSquare.histogram(draws, s::sample), draws, skellamPmf(2.5), 7, 60);
  }

  @Test
  void aWrongPmfIsDetected() {
    // The test can fail: Gaussian draws of σ² = 4.5 do not pass as σ² = 5.
    DiscreteGaussian g = new DiscreteGaussian(Rational.of(9, 2), new SplittableRandom(3));
    long draws = 200_000;
    LongToDoubleFunction wrong = normalised(x -> Math.exp(-x * x / 10.0), 200);
    ChiSquare.Result chi = ChiSquare.test(ChiSquare.histogram(draws, g::sample), draws, wrong, 8);
    assertThat(chi.statistic()).isGreaterThan(chi.critical999());
  }
}
