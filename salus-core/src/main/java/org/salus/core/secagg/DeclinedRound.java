package org.salus.core.secagg;

import java.util.Objects;
import org.salus.core.keys.SecretBytes;

/**
 * A one-trip round's answer from a participant that takes no part after all (its step was withheld
 * or failed): its own masking secret key for this round, so the server can remove the pairwise
 * masks the others added for it. Safe because this participant never masked an input in the round
 * and forgets the round as it declines; its self-mask shares, which the others reveal, mask
 * nothing.
 */
public record DeclinedRound(int from, SecretBytes maskingSecretKey) {
  public DeclinedRound {
    Objects.requireNonNull(maskingSecretKey, "maskingSecretKey");
    if (maskingSecretKey.length() != X25519.KEY_BYTES) {
      throw new IllegalArgumentException("a masking key has " + X25519.KEY_BYTES + " bytes");
    }
  }
}
