package org.salus.core.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 tree kept as its compact range: the hashes of the perfect subtrees that
 * make up {@code [0, size)}, one per set bit of {@code size}, so the state is {@code O(log n)}. Not
 * thread-safe; an appender owns one.
 */
public final class CompactTree {

  // frontier[level] holds the perfect subtree of 2^level leaves when bit `level` of size is set.
  private final Hash[] frontier = new Hash[64];
  private long size;

  /** An empty tree. */
  public CompactTree() {}

  /** The tree of the first {@code size} leaves, read from stored perfect subtrees. */
  public static CompactTree restore(long size, HashSource source) {
    CompactTree tree = new CompactTree();
    for (int level = 63; level >= 0; level--) {
      if ((size >>> level & 1) == 1) {
        long start = size >>> (level + 1) << (level + 1);
        tree.frontier[level] = source.node(level, start >>> level);
      }
    }
    tree.size = size;
    return tree;
  }

  /** An independent copy, for work that may be abandoned (a transaction that rolls back). */
  public CompactTree copy() {
    CompactTree t = new CompactTree();
    System.arraycopy(frontier, 0, t.frontier, 0, frontier.length);
    t.size = size;
    return t;
  }

  public long size() {
    return size;
  }

  /**
   * Appends a leaf hash and returns every perfect subtree it completes, lowest first: the leaf
   * itself at level 0, then each merged parent. A store persists them for {@link HashSource}.
   */
  public List<StoredNode> append(Hash leafHash) {
    List<StoredNode> completed = new ArrayList<>(4);
    Hash carry = leafHash;
    long index = size;
    int level = 0;
    completed.add(new StoredNode(0, index, carry));
    while ((size >>> level & 1) == 1) {
      carry = TreeHasher.nodeHash(frontier[level], carry);
      frontier[level] = null;
      level++;
      index >>>= 1;
      completed.add(new StoredNode(level, index, carry));
    }
    frontier[level] = carry;
    size++;
    return completed;
  }

  /** The root hash of the tree: the right fold of the frontier (RFC 9162 §2.1.1). */
  public Hash root() {
    Hash root = null;
    for (int level = 0; level < 64; level++) {
      Hash h = frontier[level];
      if (h != null) {
        root = root == null ? h : TreeHasher.nodeHash(h, root);
      }
    }
    return root == null ? TreeHasher.emptyRoot() : root;
  }
}
