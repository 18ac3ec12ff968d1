package org.salus.core.ledger.merkle;

import java.util.List;

/**
 * The consistency proof of RFC 9162 §2.1.4: the hashes that show the tree of {@code size1} leaves
 * is a prefix of the tree of {@code size2} leaves.
 */
public record ConsistencyProof(long size1, long size2, List<Hash> hashes) {

  public ConsistencyProof {
    hashes = List.copyOf(hashes);
  }
}
