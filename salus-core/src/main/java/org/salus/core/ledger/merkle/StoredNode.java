package org.salus.core.ledger.merkle;

import java.util.Objects;

/**
 * A completed perfect subtree: {@code hash} covers leaves {@code [index * 2^level, (index + 1) *
 * 2^level)}. What a store persists for {@link HashSource}.
 */
public record StoredNode(int level, long index, Hash hash) {

  public StoredNode {
    if (level < 0 || level > 63 || index < 0) {
      throw new IllegalArgumentException("no node at level " + level + ", index " + index);
    }
    Objects.requireNonNull(hash, "hash");
  }
}
