package org.salus.core.study.run;

import java.util.Objects;
import java.util.Optional;
import org.salus.core.secagg.DeclinedRound;
import org.salus.core.secagg.OneTripInput;

/**
 * A node's answer to a one-trip step: its masked vector with its self-mask shares, or the reply it
 * would have given to a plain step ({@link NodeReply.Withheld} or {@link NodeReply.Failed}) with
 * its own masking key of the round, so the others' masks for it can be removed. A node that could
 * not even find the round declines without a key; the round then cannot be read.
 */
public sealed interface SecureOneTrip {

  /** The node's masked vector and its shares of the contributors' self-mask seeds. */
  record Contributed(OneTripInput input) implements SecureOneTrip {
    public Contributed {
      Objects.requireNonNull(input, "input");
    }
  }

  /** The node takes no part in this step; with its round key when it holds the round. */
  record Declined(NodeReply reply, Optional<org.salus.core.secagg.DeclinedRound> key)
      implements SecureOneTrip {
    public Declined {
      Objects.requireNonNull(key, "key");
      if (reply instanceof NodeReply.Released) {
        throw new IllegalArgumentException("a declining node releases nothing");
      }
    }

    public Declined(NodeReply reply, DeclinedRound key) {
      this(reply, Optional.of(key));
    }
  }
}
