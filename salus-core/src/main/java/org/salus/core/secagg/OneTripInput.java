package org.salus.core.secagg;

import java.util.Objects;

/**
 * A one-trip round's answer from a participant that contributes (docs/secagg-dp.md, "One-trip
 * rounds"): its masked input and, in the same message, its shares of the self-mask seed of every
 * participant whose shares it received. It reveals no secret-key share in this round, ever: the
 * participant forgets the round once this is sent, so no dropped participant's pairwise masks can
 * be removed and a late or withheld vector stays hidden.
 */
public record OneTripInput(MaskedInput masked, UnmaskResponse selfMaskShares) {
  public OneTripInput {
    Objects.requireNonNull(masked, "masked");
    Objects.requireNonNull(selfMaskShares, "selfMaskShares");
    if (masked.from() != selfMaskShares.from()) {
      throw new IllegalArgumentException("the masked input and the shares come from two senders");
    }
    if (!selfMaskShares.secretKeyShares().isEmpty()) {
      throw new SecAggException(
          "secagg.refused.both-shares", "a one-trip answer never carries secret-key shares");
    }
  }

  public int from() {
    return masked.from();
  }
}
