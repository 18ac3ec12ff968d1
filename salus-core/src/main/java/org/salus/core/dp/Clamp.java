package org.salus.core.dp;

/**
 * Declared bounds for one person's value. The node clamps every value into them before aggregating,
 * so that the sensitivity follows from the bounds alone.
 */
public record Clamp(double lower, double upper) {

  public Clamp {
    if (!Double.isFinite(lower) || !Double.isFinite(upper) || lower > upper) {
      throw new DpException(
          "dp.bounds.invalid", "bounds [" + lower + ", " + upper + "] are not a finite range");
    }
  }

  /** The value moved into the bounds (NaN is refused, not clamped). */
  public double apply(double value) {
    if (Double.isNaN(value)) {
      throw new DpException("dp.value.nan", "a value to clamp is not a number");
    }
    return Math.min(upper, Math.max(lower, value));
  }

  /** Sensitivity of a sum when one person contributes one value: max(|lower|, |upper|). */
  public double sumSensitivity() {
    return Math.max(Math.abs(lower), Math.abs(upper));
  }

  /** The same in fixed-point units at the given scale, rounded up. */
  public long sumSensitivity(long scale) {
    return (long) Math.ceil(sumSensitivity() * scale);
  }

  /** Sensitivity of a count: one person changes it by at most one. */
  public static long countSensitivity() {
    return 1;
  }
}
