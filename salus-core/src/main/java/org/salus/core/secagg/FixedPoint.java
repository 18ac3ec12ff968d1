package org.salus.core.secagg;

import java.math.BigDecimal;

/**
 * Fixed-point encoding of reals into the ring of integers mod 2^64 that secure aggregation sums in.
 * A value {@code v} in the declared range {@code [min, max]} becomes {@code round(v × scale)} as a
 * two's-complement {@code long}. The constructor refuses a range, scale and participant count whose
 * worst-case sum could leave the signed 64-bit range, so a sum of in-range values never wraps; an
 * out-of-range value is refused, never clamped or wrapped.
 *
 * @param min the smallest value a participant may contribute
 * @param max the largest value a participant may contribute
 * @param scale how many ring units make one unit of value (the resolution is {@code 1/scale})
 * @param participants the most values that may be summed
 */
public record FixedPoint(double min, double max, long scale, int participants) {

  private static final BigDecimal LONG_LIMIT = BigDecimal.valueOf(Long.MAX_VALUE);

  public FixedPoint {
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new SecAggException(
          "secagg.fixed-point.bad-range", "range [" + min + ", " + max + "] is not a finite range");
    }
    if (scale < 1 || participants < 1) {
      throw new SecAggException(
          "secagg.fixed-point.bad-parameters",
          "scale " + scale + " and participants " + participants + " must be positive");
    }
    BigDecimal largest =
        BigDecimal.valueOf(Math.max(Math.abs(min), Math.abs(max)))
            .multiply(BigDecimal.valueOf(scale))
            .add(BigDecimal.ONE) // rounding may add half a unit
            .multiply(BigDecimal.valueOf(participants));
    if (largest.compareTo(LONG_LIMIT) > 0) {
      throw new SecAggException(
          "secagg.fixed-point.sum-overflow",
          "a sum of "
              + participants
              + " values in ["
              + min
              + ", "
              + max
              + "] at scale "
              + scale
              + " can exceed 2^63 - 1; lower the scale or narrow the range");
    }
  }

  /** Encodes one value; refuses one outside the declared range (index names it in the error). */
  public long encode(double value, int index) {
    if (!(value >= min && value <= max)) {
      throw new SecAggException(
          "secagg.fixed-point.out-of-range",
          "value at index " + index + " is outside the declared range [" + min + ", " + max + "]");
    }
    return Math.round(value * scale);
  }

  /** Encodes a vector element-wise. */
  public long[] encode(double[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = encode(values[i], i);
    }
    return out;
  }

  /**
   * Decodes a sum of {@code contributors} encoded values; refuses more contributors than declared,
   * because then the sum may have wrapped.
   */
  public double[] decodeSum(long[] sum, int contributors) {
    if (contributors < 0 || contributors > participants) {
      throw new SecAggException(
          "secagg.fixed-point.sum-overflow",
          contributors + " contributors exceed the declared " + participants + " participants");
    }
    double[] out = new double[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (double) sum[i] / scale;
    }
    return out;
  }
}
