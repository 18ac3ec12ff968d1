package org.salus.core.secagg;

import java.nio.charset.StandardCharsets;
import org.salus.core.keys.SecretBytes;

/**
 * Derives the symmetric keys two participants share from their X25519 agreement: HKDF-SHA256 with
 * the round identifier as salt and a purpose label as info, so that the mask seed and the share
 * encryption key are independent, and differ from round to round.
 */
final class PairwiseKeys {

  static final byte[] MASK_SEED =
      "salus secagg v1 pairwise mask seed".getBytes(StandardCharsets.UTF_8);
  static final byte[] SHARE_KEY =
      "salus secagg v1 share encryption key".getBytes(StandardCharsets.UTF_8);

  private PairwiseKeys() {}

  static SecretBytes derive(
      SecretBytes privateKey, byte[] peerPublicKey, byte[] roundId, byte[] purpose) {
    byte[] shared = X25519.agree(privateKey, peerPublicKey);
    byte[] key = Hkdf.derive(roundId, shared, purpose, 32);
    java.util.Arrays.fill(shared, (byte) 0);
    SecretBytes out = SecretBytes.copyOf(key);
    java.util.Arrays.fill(key, (byte) 0);
    return out;
  }
}
