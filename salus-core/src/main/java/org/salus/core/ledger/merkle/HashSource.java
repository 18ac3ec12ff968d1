package org.salus.core.ledger.merkle;

/**
 * Where proofs read stored hashes from: the port a store implements.
 *
 * <p>The layout stores the hash of every <em>perfect</em> subtree once it is complete: node {@code
 * (level, index)} covers leaves {@code [index * 2^level, (index + 1) * 2^level)}; level 0 holds the
 * leaf hashes. Any subtree of an RFC 9162 tree of size {@code n} is a right fold of at most {@code
 * log2(n)} perfect subtrees, so every proof reads {@code O(log n)} stored hashes. A log of {@code
 * n} leaves stores fewer than {@code 2n} nodes; {@link CompactTree#append} reports each new one as
 * it completes.
 */
@FunctionalInterface
public interface HashSource {

  /**
   * The hash of the perfect subtree at {@code level} and {@code index}.
   *
   * @throws IllegalArgumentException if that subtree is not complete in the store
   */
  Hash node(int level, long index);
}
