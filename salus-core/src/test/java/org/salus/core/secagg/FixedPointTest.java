package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FixedPointTest {

  private static String code(Throwable t) {
    return ((SecAggException) t).code();
  }

  @Property(tries = 200)
  void sumOfEncodedEqualsEncodedSumWithinResolution(
      @ForAll @Size(min = 1, max = 20)
          java.util.List<@DoubleRange(min = -1000, max = 1000) Double> values) {
    FixedPoint fp = new FixedPoint(-1000, 1000, 1_000_000, 20);
    long sum = 0;
    double plain = 0;
    for (int i = 0; i < values.size(); i++) {
      sum += fp.encode(values.get(i), i);
      plain += values.get(i);
    }
    double decoded = fp.decodeSum(new long[] {sum}, values.size())[0];
    assertThat(decoded).isCloseTo(plain, org.assertj.core.data.Offset.offset(values.size() * 1e-6));
  }

  @Test
  void negativeValuesSurviveTwosComplement() {
    FixedPoint fp = new FixedPoint(-10, 10, 100, 3);
    long sum = fp.encode(-2.5, 0) + fp.encode(-3.25, 1) + fp.encode(1.0, 2);
    assertThat(sum).isEqualTo(-475);
    assertThat(fp.decodeSum(new long[] {sum}, 3)[0]).isEqualTo(-4.75);
  }

  @Property(tries = 50)
  void outOfRangeIsRefused(@ForAll @DoubleRange(min = 10.5, max = 1e300) double beyond) {
    FixedPoint fp = new FixedPoint(-10, 10, 100, 3);
    assertThatThrownBy(() -> fp.encode(beyond, 7))
        .satisfies(e -> assertThat(code(e)).isEqualTo("secagg.fixed-point.out-of-range"))
        .hasMessageContaining("index 7");
    assertThatThrownBy(() -> fp.encode(-beyond, 7))
        .satisfies(e -> assertThat(code(e)).isEqualTo("secagg.fixed-point.out-of-range"));
  }

  @Test
  void nanIsRefused() {
    FixedPoint fp = new FixedPoint(-10, 10, 100, 3);
    assertThatThrownBy(() -> fp.encode(Double.NaN, 0))
        .satisfies(e -> assertThat(code(e)).isEqualTo("secagg.fixed-point.out-of-range"));
  }

  @Property(tries = 50)
  void rangeWhoseSumCouldWrapIsRefused(@ForAll @IntRange(min = 2, max = 1000) int n) {
    double max = (double) Long.MAX_VALUE / n; // n × max × scale 2 exceeds 2^63 - 1
    assertThatThrownBy(() -> new FixedPoint(-max, max, 2, n))
        .satisfies(e -> assertThat(code(e)).isEqualTo("secagg.fixed-point.sum-overflow"));
  }

  @Test
  void largestAllowedSumDoesNotWrap() {
    int n = 10;
    long scale = 1L << 20;
    double max = Math.floor((Long.MAX_VALUE / n - 1) / (double) scale) - 1;
    FixedPoint fp = new FixedPoint(-max, max, scale, n);
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += fp.encode(max, i);
    }
    assertThat(sum).isPositive();
    assertThat(fp.decodeSum(new long[] {sum}, n)[0]).isEqualTo(n * max);
  }

  @Test
  void moreContributorsThanDeclaredIsRefused() {
    FixedPoint fp = new FixedPoint(0, 1, 10, 3);
    assertThatThrownBy(() -> fp.decodeSum(new long[] {1}, 4))
        .satisfies(e -> assertThat(code(e)).isEqualTo("secagg.fixed-point.sum-overflow"));
  }
}
