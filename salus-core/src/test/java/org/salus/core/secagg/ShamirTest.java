package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.salus.core.keys.SecretBytes;

class ShamirTest {

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static ShamirShare share(int x, long y) {
    return new ShamirShare(x, BigInteger.valueOf(y));
  }

  /** f(x) = 1234 + 166x + 94x^2, evaluated by hand: f(1)=1494, f(2)=1942, ... f(6)=5614. */
  @Test
  void knownAnswerDegreeTwo() {
    List<ShamirShare> all =
        List.of(
            share(1, 1494),
            share(2, 1942),
            share(3, 2578),
            share(4, 3402),
            share(5, 4414),
            share(6, 5614));
    assertThat(Shamir.combine(List.of(all.get(1), all.get(3), all.get(4))))
        .isEqualTo(BigInteger.valueOf(1234));
    assertThat(Shamir.combine(List.of(all.get(5), all.get(0), all.get(2))))
        .isEqualTo(BigInteger.valueOf(1234));
    assertThat(Shamir.combine(all)).isEqualTo(BigInteger.valueOf(1234));
    // Two points of a degree-2 polynomial define the line through them, not the secret:
    // through (2,1942) and (4,3402) the line is 482 + 730x.
    assertThat(Shamir.combine(List.of(all.get(1), all.get(3)))).isEqualTo(BigInteger.valueOf(482));
  }

  /** f(x) = p - 1 + 2x wraps around the modulus: f(1) = 1, f(2) = 3, secret p - 1. */
  @Test
  void knownAnswerWrapsModulus() {
    assertThat(Shamir.combine(List.of(share(1, 1), share(2, 3))))
        .isEqualTo(Shamir.PRIME.subtract(BigInteger.ONE));
  }

  @Property(tries = 60)
  void anyThresholdSubsetReconstructsAndFewerDoNot(
      @ForAll @IntRange(min = 1, max = 10) int t,
      @ForAll @IntRange(min = 0, max = 5) int extra,
      @ForAll long seed) {
    int n = t + extra;
    SecureRandom random = seeded(seed);
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    SecretBytes secret = SecretBytes.copyOf(raw);
    List<Integer> xs = IntStream.rangeClosed(1, n).boxed().toList();
    List<ShamirShare> shares = new ArrayList<>(Shamir.split(secret, t, xs, random));
    Collections.shuffle(shares, new Random(seed));
    assertThat(Shamir.combine(shares.subList(0, t), 32)).isEqualTo(secret);
    assertThat(Shamir.combine(shares, 32)).isEqualTo(secret);
    if (t > 1) {
      assertThat(Shamir.combine(shares.subList(0, t - 1))).isNotEqualTo(new BigInteger(1, raw));
    }
  }

  @Test
  void refusesDuplicateCoordinatesAndBadThreshold() {
    SecureRandom random = seeded(1);
    assertThatThrownBy(() -> Shamir.split(BigInteger.TEN, 4, List.of(1, 2, 3), random))
        .isInstanceOf(SecAggException.class)
        .extracting(e -> ((SecAggException) e).code())
        .isEqualTo("secagg.shamir.bad-threshold");
    assertThatThrownBy(() -> Shamir.combine(List.of(share(1, 1), share(1, 2))))
        .isInstanceOf(SecAggException.class)
        .extracting(e -> ((SecAggException) e).code())
        .isEqualTo("secagg.shamir.bad-x");
  }

  @Test
  void x25519PrivateKeyRoundTripsThroughShares() {
    SecureRandom random = seeded(9);
    X25519.KeyPair pair = X25519.generate(random);
    List<ShamirShare> shares =
        Shamir.split(pair.privateKey(), 4, List.of(1, 2, 3, 4, 5, 6), random);
    SecretBytes rebuilt =
        Shamir.combine(List.of(shares.get(5), shares.get(0), shares.get(3), shares.get(2)), 32);
    assertThat(X25519.publicKeyOf(rebuilt)).isEqualTo(pair.publicKey());
  }

  @Test
  void shareToStringHidesValue() {
    assertThat(share(3, 123456789).toString()).doesNotContain("123456789");
  }
}
