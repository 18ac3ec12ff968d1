package org.salus.core.study.run;

import java.util.Objects;
import org.salus.core.secagg.AdvertiseKeys;

/**
 * A node's answer to the first phase of a secure round: it computed its step, released it through
 * its disclosure control (and DP), and advertises its round keys; or it takes no part, with the
 * reply it would have given to a plain step ({@link NodeReply.Withheld} or {@link
 * NodeReply.Failed}). A declining node sends nothing masked.
 */
public sealed interface SecureOpening {

  /** The node's two public keys for this round. */
  record Advertised(AdvertiseKeys keys) implements SecureOpening {
    public Advertised {
      Objects.requireNonNull(keys, "keys");
    }
  }

  /** The node takes no part in this round: withheld under a rule, or failed. */
  record Declined(NodeReply reply) implements SecureOpening {
    public Declined {
      if (reply instanceof NodeReply.Released) {
        throw new IllegalArgumentException("a declining node releases nothing");
      }
    }
  }
}
