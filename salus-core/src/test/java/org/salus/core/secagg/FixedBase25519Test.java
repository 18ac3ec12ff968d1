package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The fixed-base public key against the general ladder X25519(k, 9), itself checked in X25519Test.
 */
class FixedBase25519Test {

  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  private static byte[] nine() {
    byte[] u = new byte[32];
    u[0] = 9;
    return u;
  }

  private static BigInteger value(long[] f) {
    byte[] le = Field25519.toBytes(f);
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    return new BigInteger(1, be);
  }

  @Test
  void constantsAreTheCurveAndItsBasePoint() {
    BigInteger d = value(FixedBase25519.D);
    BigInteger x = value(FixedBase25519.BASE_X);
    BigInteger y = value(FixedBase25519.BASE_Y);
    // d = −121665 / 121666, y = 4/5, −x² + y² = 1 + d·x²·y², and u = (1 + y) / (1 − y) = 9.
    assertThat(d.multiply(BigInteger.valueOf(121666)).add(BigInteger.valueOf(121665)).mod(P))
        .isZero();
    assertThat(y.multiply(BigInteger.valueOf(5)).mod(P)).isEqualTo(BigInteger.valueOf(4));
    BigInteger x2 = x.pow(2);
    BigInteger y2 = y.pow(2);
    assertThat(
            y2.subtract(x2).subtract(BigInteger.ONE).subtract(d.multiply(x2).multiply(y2)).mod(P))
        .isZero();
    assertThat(BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).modInverse(P)).mod(P))
        .isEqualTo(BigInteger.valueOf(9));
  }

  @Property(tries = 300)
  void equalsTheLadderOnTheBasePoint(@ForAll long seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    byte[] k = new byte[32];
    random.nextBytes(k);
    assertThat(FixedBase25519.publicKey(k)).isEqualTo(X25519.scalarMult(k, nine()));
  }

  /** Scalars whose signed digits hit the table's ends (0, ±8) and carry through every digit. */
  @Test
  void equalsTheLadderOnExtremeScalars() {
    byte[][] scalars = new byte[6][32];
    Arrays.fill(scalars[1], (byte) 0xff);
    Arrays.fill(scalars[2], (byte) 0x88);
    Arrays.fill(scalars[3], (byte) 0x77);
    Arrays.fill(scalars[4], (byte) 0x08);
    for (int i = 0; i < 32; i++) {
      scalars[5][i] = (byte) (i % 2 == 0 ? 0xf8 : 0x80);
    }
    for (byte[] k : scalars) {
      assertThat(FixedBase25519.publicKey(k)).isEqualTo(X25519.scalarMult(k, nine()));
    }
  }
}
