package org.salus.core.dp;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact non-negative rational {@code numerator / denominator}, in lowest terms. Noise parameters
 * are rationals so that samplers never touch floating point (Canonne, Kamath and Steinke 2020, §5).
 */
public record Rational(BigInteger numerator, BigInteger denominator) {

  public Rational {
    if (numerator.signum() < 0 || denominator.signum() <= 0) {
      throw new DpException(
          "dp.parameter.invalid", "a noise parameter must be a non-negative rational");
    }
    BigInteger g = numerator.gcd(denominator);
    if (g.signum() > 0 && !g.equals(BigInteger.ONE)) {
      numerator = numerator.divide(g);
      denominator = denominator.divide(g);
    }
  }

  public static Rational of(long numerator, long denominator) {
    return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
  }

  /** The exact value of a finite non-negative double (every double is a dyadic rational). */
  public static Rational exactly(double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new DpException(
          "dp.parameter.invalid", "parameter " + value + " is not finite and >= 0");
    }
    BigDecimal d = new BigDecimal(value);
    if (d.scale() <= 0) {
      return new Rational(d.toBigIntegerExact(), BigInteger.ONE);
    }
    return new Rational(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
  }

  public boolean isZero() {
    return numerator.signum() == 0;
  }

  /** For display and accounting only; never in a sampling path. */
  public double toDouble() {
    return new BigDecimal(numerator)
        .divide(new BigDecimal(denominator), java.math.MathContext.DECIMAL64)
        .doubleValue();
  }

  public Rational divide(long n) {
    return new Rational(numerator, denominator.multiply(BigInteger.valueOf(n)));
  }

  @Override
  public String toString() {
    return numerator + "/" + denominator;
  }
}
