package org.salus.core.ledger.merkle;

import java.util.List;

/**
 * The audit path of RFC 9162 §2.1.3: the sibling hashes from leaf {@code index} up to the root of a
 * tree of {@code treeSize} leaves, leaf side first.
 */
public record InclusionProof(long index, long treeSize, List<Hash> hashes) {

  public InclusionProof {
    hashes = List.copyOf(hashes);
  }
}
