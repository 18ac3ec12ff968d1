package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.salus.core.keys.SecretBytes;

class X25519Test {

  @Test
  void rfc7748AliceAndBob() {
    Map<String, String> v = Vectors.read(Vectors.files("x25519").get(0));
    SecretBytes alice = SecretBytes.copyOf(Vectors.hex(v.get("alicePrivate")));
    SecretBytes bob = SecretBytes.copyOf(Vectors.hex(v.get("bobPrivate")));
    assertThat(X25519.publicKeyOf(alice)).isEqualTo(Vectors.hex(v.get("alicePublic")));
    assertThat(X25519.publicKeyOf(bob)).isEqualTo(Vectors.hex(v.get("bobPublic")));
    assertThat(X25519.agree(alice, Vectors.hex(v.get("bobPublic"))))
        .isEqualTo(Vectors.hex(v.get("shared")));
    assertThat(X25519.agree(bob, Vectors.hex(v.get("alicePublic"))))
        .isEqualTo(Vectors.hex(v.get("shared")));
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
