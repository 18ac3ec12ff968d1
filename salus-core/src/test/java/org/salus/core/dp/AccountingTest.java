package org.salus.core.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class AccountingTest {

  @Test
  void mechanismCostsByHand() {
    assertThat(ZcdpCost.gaussian(1, 2).rho()).isEqualTo(0.25); // 1 / (2·2)
    assertThat(ZcdpCost.gaussian(3, 4.5).rho()).isEqualTo(1.0); // 9 / 9
    assertThat(ZcdpCost.laplace(1, 2).rho()).isEqualTo(0.125); // ε = 0.5, ε²/2
    ZcdpCost sk = ZcdpCost.skellam(1, 10); // 1/40 + 1/800; (6 − 1)/1600
    assertThat(sk.rho()).isCloseTo(0.02625, within(1e-15));
    assertThat(sk.xi()).isCloseTo(0.003125, within(1e-15));
  }

  @Test
  void compositionAdds() {
    ZcdpCost total = ZcdpCost.ZERO;
    for (int i = 0; i < 12; i++) { // e.g. twelve GLM iterations
      total = total.plus(ZcdpCost.gaussian(1, 50));
    }
    assertThat(total.rho()).isCloseTo(12 * 0.01, within(1e-12));
  }

  /** ρ + 2√(ρ ln(1/δ)) by hand: 0.5 + 2·√(0.5 · 11.512925) = 5.2985259. */
  @Test
  void simpleConversionByHand() {
    assertThat(ZcdpConversion.simple(ZcdpCost.rho(0.5), 1e-5)).isCloseTo(5.2985259, within(1e-6));
  }

  /** Reference values from an independent brute-force grid over α (1.0001 steps) in Python. */
  @Test
  void tightConversionMatchesIndependentComputation() {
    double[][] cases = {
      {0.5, 1e-5, 4.728386989},
      {0.1, 1e-6, 2.141938929},
      {1.0, 1e-6, 7.766216634},
      {0.01, 1e-5, 0.545725548},
      {2.0, 1e-3, 8.416064295},
    };
    for (double[] c : cases) {
      assertThat(ZcdpConversion.tight(ZcdpCost.rho(c[0]), c[1]))
          .as("ρ=%s δ=%s", c[0], c[1])
          .isCloseTo(c[2], within(1e-6));
    }
  }

  @Property(tries = 200)
  void tightNeverExceedsSimple(
      @ForAll @DoubleRange(min = 1e-6, max = 50) @net.jqwik.api.constraints.Scale(8) double rho,
      @ForAll @DoubleRange(min = 1e-12, max = 0.5) @net.jqwik.api.constraints.Scale(14)
          double delta) {
    ZcdpCost c = ZcdpCost.rho(rho);
    assertThat(ZcdpConversion.tight(c, delta))
        .isLessThanOrEqualTo(ZcdpConversion.simple(c, delta) + 1e-9);
  }

  @Test
  void skellamCalibrationMeetsTheTarget() {
    DistributedNoise noise = DistributedNoise.skellamForRho(0.1, 3, 10);
    assertThat(noise.cost().rho()).isLessThanOrEqualTo(0.1);
    long mu = noise.totalMu().numerator().longValueExact();
    assertThat(ZcdpCost.skellam(10, mu * 0.99).rho()).isGreaterThan(0.1);
  }

  @Test
  void clampAndSensitivity() {
    Clamp c = new Clamp(-2, 120);
    assertThat(c.apply(500)).isEqualTo(120);
    assertThat(c.apply(-7)).isEqualTo(-2);
    assertThat(c.apply(37.5)).isEqualTo(37.5);
    assertThat(c.sumSensitivity()).isEqualTo(120);
    assertThat(c.sumSensitivity(10)).isEqualTo(1200);
    assertThatThrownBy(() -> c.apply(Double.NaN))
        .satisfies(e -> assertThat(((DpException) e).code()).isEqualTo("dp.value.nan"));
    assertThatThrownBy(() -> new Clamp(3, 1))
        .satisfies(e -> assertThat(((DpException) e).code()).isEqualTo("dp.bounds.invalid"));
  }

  @Test
  void receiptCarriesTightEpsilon() {
    PrivacyReceipt r =
        PrivacyReceipt.of(
            ZcdpCost.rho(0.5),
            1e-5,
            "discrete-gaussian",
            Map.of("sigma2", "9/2", "sensitivity", "3"),
            new TreeSet<>(java.util.List.of("node-b", "node-a")));
    assertThat(r.epsilon()).isCloseTo(4.728387, within(1e-6));
    assertThat(r.conversion()).isEqualTo("cks2020-corollary13");
    assertThat(r.contributors()).containsExactly("node-a", "node-b");
  }
}
