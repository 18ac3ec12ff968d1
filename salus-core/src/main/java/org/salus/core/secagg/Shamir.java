package org.salus.core.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.salus.core.keys.SecretBytes;

/**
 * Shamir's (t, n) secret sharing (Shamir, "How to share a secret", CACM 1979) over the prime field
 * of the Mersenne prime 2^521 − 1, large enough to share any secret of up to 64 bytes directly.
 */
public final class Shamir {

  /** The field modulus, 2^521 − 1. */
  public static final BigInteger PRIME = BigInteger.ONE.shiftLeft(521).subtract(BigInteger.ONE);

  /** The longest secret, in bytes, that fits below {@link #PRIME}. */
  public static final int MAX_SECRET_BYTES = 64;

  private Shamir() {}

  /**
   * Splits {@code secret} into one share per x-coordinate, any {@code threshold} of which
   * reconstruct it and fewer of which reveal nothing about it.
   */
  public static List<ShamirShare> split(
      BigInteger secret, int threshold, List<Integer> xs, SecureRandom random) {
    if (secret.signum() < 0 || secret.compareTo(PRIME) >= 0) {
      throw new IllegalArgumentException("secret outside the field");
    }
    if (threshold < 1 || threshold > xs.size()) {
      throw new SecAggException(
          "secagg.shamir.bad-threshold",
          "threshold " + threshold + " must be between 1 and the number of shares " + xs.size());
    }
    requireDistinct(xs);
    BigInteger[] coefficients = new BigInteger[threshold];
    coefficients[0] = secret;
    for (int i = 1; i < threshold; i++) {
      coefficients[i] = randomElement(random);
    }
    List<ShamirShare> shares = new ArrayList<>(xs.size());
    for (int x : xs) {
      shares.add(new ShamirShare(x, evaluate(coefficients, BigInteger.valueOf(x))));
    }
    return shares;
  }

  /** Splits secret bytes (at most {@link #MAX_SECRET_BYTES}) as an unsigned big-endian number. */
  public static List<ShamirShare> split(
      SecretBytes secret, int threshold, List<Integer> xs, SecureRandom random) {
    if (secret.length() > MAX_SECRET_BYTES) {
      throw new IllegalArgumentException("secret longer than " + MAX_SECRET_BYTES + " bytes");
    }
    return split(new BigInteger(1, secret.toByteArray()), threshold, xs, random);
  }

  /**
   * Interpolates the polynomial through the given shares at zero (Lagrange). With at least the
   * threshold number of shares this is the secret; with fewer it is an unrelated field element.
   */
  public static BigInteger combine(List<ShamirShare> shares) {
    if (shares.isEmpty()) {
      throw new SecAggException("secagg.shamir.no-shares", "no shares to combine");
    }
    requireDistinct(shares.stream().map(ShamirShare::x).toList());
    BigInteger secret = BigInteger.ZERO;
    for (ShamirShare i : shares) {
      BigInteger numerator = BigInteger.ONE;
      BigInteger denominator = BigInteger.ONE;
      for (ShamirShare j : shares) {
        if (j.x() != i.x()) {
          numerator = numerator.multiply(BigInteger.valueOf(-j.x())).mod(PRIME);
          denominator = denominator.multiply(BigInteger.valueOf(i.x() - j.x())).mod(PRIME);
        }
      }
      BigInteger basis = numerator.multiply(denominator.modInverse(PRIME));
      secret = secret.add(i.y().multiply(basis)).mod(PRIME);
    }
    return secret;
  }

  /** Reconstructs secret bytes of the given length; fails if the result does not fit. */
  public static SecretBytes combine(List<ShamirShare> shares, int length) {
    BigInteger secret = combine(shares);
    if (secret.bitLength() > 8 * length) {
      throw new SecAggException(
          "secagg.shamir.reconstruction-failed", "reconstructed value does not fit the secret");
    }
    byte[] raw = secret.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return SecretBytes.copyOf(out);
  }

  private static BigInteger evaluate(BigInteger[] coefficients, BigInteger x) {
    BigInteger y = BigInteger.ZERO;
    for (int i = coefficients.length - 1; i >= 0; i--) {
      y = y.multiply(x).add(coefficients[i]).mod(PRIME);
    }
    return y;
  }

  private static BigInteger randomElement(SecureRandom random) {
    BigInteger r;
    do {
      r = new BigInteger(PRIME.bitLength(), random);
    } while (r.compareTo(PRIME) >= 0);
    return r;
  }

  private static void requireDistinct(List<Integer> xs) {
    Set<Integer> seen = new HashSet<>();
    for (int x : xs) {
      if (x < 1 || !seen.add(x)) {
        throw new SecAggException(
            "secagg.shamir.bad-x", "share x-coordinates must be distinct and positive: " + xs);
      }
    }
  }
}
