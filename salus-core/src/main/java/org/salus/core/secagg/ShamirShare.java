package org.salus.core.secagg;

import java.math.BigInteger;

/**
 * One Shamir share: the point {@code (x, y)} of the sharing polynomial over {@link Shamir#PRIME}.
 * The value is secret material, so {@link #toString()} shows only the x-coordinate.
 */
public record ShamirShare(int x, BigInteger y) {

  public ShamirShare {
    if (x < 1) {
      throw new IllegalArgumentException("share x-coordinate must be at least 1, was " + x);
    }
    if (y.signum() < 0 || y.compareTo(Shamir.PRIME) >= 0) {
      throw new IllegalArgumentException("share value outside the field");
    }
  }

  @Override
  public String toString() {
    return "ShamirShare[x=" + x + ", y=redacted]";
  }
}
