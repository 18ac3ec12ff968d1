package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Map;
import javax.crypto.KeyAgreement;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.salus.core.keys.SecretBytes;

class X25519Test {

  private static Map<String, String> vectors(String name) {
    Path file =
        Vectors.files("x25519").stream()
            .filter(p -> p.getFileName().toString().equals(name))
            .findFirst()
            .orElseThrow();
    return Vectors.read(file);
  }

  @Test
  void rfc7748AliceAndBob() {
    Map<String, String> v = vectors("rfc7748-6.1-alice-bob.txt");
    SecretBytes alice = SecretBytes.copyOf(Vectors.hex(v.get("alicePrivate")));
    SecretBytes bob = SecretBytes.copyOf(Vectors.hex(v.get("bobPrivate")));
    assertThat(X25519.publicKeyOf(alice)).isEqualTo(Vectors.hex(v.get("alicePublic")));
    assertThat(X25519.publicKeyOf(bob)).isEqualTo(Vectors.hex(v.get("bobPublic")));
    assertThat(X25519.agree(alice, Vectors.hex(v.get("bobPublic"))))
        .isEqualTo(Vectors.hex(v.get("shared")));
    assertThat(X25519.agree(bob, Vectors.hex(v.get("alicePublic"))))
        .isEqualTo(Vectors.hex(v.get("shared")));
  }

  @Test
  void rfc7748ScalarMultiplications() {
    Map<String, String> v = vectors("rfc7748-5.2-scalar-mult.txt");
    for (String i : new String[] {"1", "2"}) {
      assertThat(X25519.scalarMult(Vectors.hex(v.get("scalar" + i)), Vectors.hex(v.get("u" + i))))
          .as("vector %s", i)
          .isEqualTo(Vectors.hex(v.get("out" + i)));
    }
  }

  @Test
  void rfc7748IteratedOneThousandTimes() {
    Map<String, String> v = vectors("rfc7748-5.2-scalar-mult.txt");
    byte[] k = new byte[32];
    k[0] = 9;
    byte[] u = k.clone();
    for (int i = 1; i <= 1000; i++) {
      byte[] next = X25519.scalarMult(k, u);
      u = k;
      k = next;
      if (i == 1) {
        assertThat(k).isEqualTo(Vectors.hex(v.get("iterated1")));
      }
    }
    assertThat(k).isEqualTo(Vectors.hex(v.get("iterated1000")));
  }

  /** The JDK's XDH provider, which X25519 used before, as the reference. */
  private static byte[] jdk(byte[] scalar, byte[] u) throws Exception {
    KeyFactory factory = KeyFactory.getInstance("XDH");
    PrivateKey priv =
        factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
    byte[] bigEndian = new byte[32];
    for (int i = 0; i < 32; i++) {
      bigEndian[i] = u[31 - i];
    }
    bigEndian[0] &= 0x7f;
    PublicKey pub =
        factory.generatePublic(
            new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
    KeyAgreement agreement = KeyAgreement.getInstance("X25519");
    agreement.init(priv);
    try {
      agreement.doPhase(pub, true);
    } catch (InvalidKeyException smallOrder) {
      return new byte[32]; // what the ladder gives for a point of small order
    }
    return agreement.generateSecret();
  }

  @Property(tries = 200)
  void equalsTheJdkOnRandomKeys(@ForAll byte[] seedScalar, @ForAll long seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    random.setSeed(seedScalar);
    byte[] scalar = new byte[32];
    byte[] u = new byte[32];
    random.nextBytes(scalar);
    random.nextBytes(u);
    assertThat(X25519.scalarMult(scalar, u)).isEqualTo(jdk(scalar, u));
  }

  /** u at or above p (and with the top bit set) must be taken mod p, as RFC 7748 §5 requires. */
  @Property(tries = 60)
  void equalsTheJdkOnNonCanonicalPoints(@ForAll long seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    byte[] scalar = new byte[32];
    random.nextBytes(scalar);
    byte[] u = new byte[32];
    java.util.Arrays.fill(u, (byte) 0xff);
    u[0] = (byte) (0xff - Math.floorMod(seed, 40)); // 2^255 − 1 − d, i.e. p + 18 − d
    assertThat(X25519.scalarMult(scalar, u)).isEqualTo(jdk(scalar, u));
  }

  @Test
  void refusesPointsOfSmallOrder() {
    SecretBytes key = X25519.generate(new SecureRandom()).privateKey();
    byte[] zero = new byte[32];
    byte[] one = new byte[32];
    one[0] = 1;
    byte[] p = Vectors.hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    // A point of order 8 (listed by Bernstein, https://cr.yp.to/ecdh.html#validate).
    byte[] order8 = Vectors.hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
    for (byte[] u : new byte[][] {zero, one, p, order8}) {
      assertThatThrownBy(() -> X25519.agree(key, u))
          .isInstanceOfSatisfying(
              SecAggException.class,
              e -> assertThat(e.code()).isEqualTo("secagg.key.agreement-failed"));
    }
  }

  @Test
  void refusesKeysOfTheWrongLength() {
    SecretBytes key = X25519.generate(new SecureRandom()).privateKey();
    assertThatThrownBy(() -> X25519.agree(key, new byte[31]))
        .hasMessageContaining("public key must be 32 bytes");
    assertThatThrownBy(() -> X25519.agree(SecretBytes.copyOf(new byte[16]), new byte[32]))
        .hasMessageContaining("private key must be 32 bytes");
  }

  @Property(tries = 20)
  void pairwiseSeedsAgreeBothWays(@ForAll long seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    X25519.KeyPair a = X25519.generate(random);
    X25519.KeyPair b = X25519.generate(random);
    byte[] round = {1, 2, 3};
    assertThat(PairwiseKeys.derive(a.privateKey(), b.publicKey(), round, PairwiseKeys.MASK_SEED))
        .isEqualTo(
            PairwiseKeys.derive(b.privateKey(), a.publicKey(), round, PairwiseKeys.MASK_SEED))
        .isNotEqualTo(
            PairwiseKeys.derive(a.privateKey(), b.publicKey(), round, PairwiseKeys.SHARE_KEY));
  }
}
