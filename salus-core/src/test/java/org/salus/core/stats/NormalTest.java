package org.salus.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reference values from Abramowitz &amp; Stegun table 26.1 and R's pnorm/qnorm to 16 digits. */
class NormalTest {

  @Test
  void centralValues() {
    assertThat(Normal.cdf(0)).isEqualTo(0.5);
    assertThat(Normal.cdf(1.96)).isCloseTo(0.9750021048517795, within(1e-15));
    assertThat(Normal.cdf(-1)).isCloseTo(0.15865525393145707, within(1e-15));
    assertThat(Normal.cdf(2.5)).isCloseTo(0.9937903346742238, within(1e-15));
  }

  @Test
  void tailsKeepRelativeAccuracy() {
    assertThat(Normal.upperTail(3)).isCloseTo(1.3498980316300946e-3, within(1e-17));
    assertThat(Normal.upperTail(5)).isCloseTo(2.866515718791939e-7, within(1e-20));
    assertThat(Normal.upperTail(10) / 7.619853024160527e-24).isCloseTo(1, within(1e-12));
    assertThat(Normal.upperTail(-5)).isCloseTo(1 - 2.866515718791939e-7, within(1e-16));
  }

  @Test
  void continuousWhereTheMethodsMeet() {
    assertThat(Normal.upperTail(Math.nextDown(3.0)) / Normal.upperTail(3.0))
        .isCloseTo(1, within(1e-12));
  }

  @Test
  void quantileInvertsCdf() {
    assertThat(Normal.quantile(0.975)).isCloseTo(1.959963984540054, within(1e-13));
    assertThat(Normal.quantile(0.5)).isCloseTo(0, within(1e-14));
    assertThat(Normal.quantile(0.001)).isCloseTo(-3.090232306167813, within(1e-12));
  }

  @Test
  void chiSquareOneDegree() {
    assertThat(Normal.chiSquare1UpperTail(3.841458820694124)).isCloseTo(0.05, within(1e-14));
    assertThat(Normal.twoSidedP(1.959963984540054)).isCloseTo(0.05, within(1e-14));
  }
}
