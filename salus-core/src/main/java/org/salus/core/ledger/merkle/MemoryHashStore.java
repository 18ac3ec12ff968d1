package org.salus.core.ledger.merkle;

import java.util.Arrays;

/**
 * A {@link HashSource} in memory, one flat array per level, fed by appending leaf hashes. For
 * tests, benchmarks and offline tools; a node's log lives in its database.
 */
public final class MemoryHashStore implements HashSource {

  private final byte[][] levels = new byte[64][];
  private final long[] counts = new long[64];
  private final CompactTree tree = new CompactTree();

  /** Appends a leaf hash, storing every perfect subtree it completes. */
  public void append(Hash leafHash) {
    for (StoredNode node : tree.append(leafHash)) {
      put(node);
    }
  }

  public long size() {
    return tree.size();
  }

  public Hash root() {
    return tree.root();
  }

  private void put(StoredNode node) {
    int level = node.level();
    byte[] a = levels[level];
    long offset = node.index() * Hash.SIZE;
    if (a == null || offset + Hash.SIZE > a.length) {
      long wanted = Math.max(1024, (offset + Hash.SIZE) * 3 / 2);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("memory store holds at most 2^26 nodes per level");
      }
      a = a == null ? new byte[(int) wanted] : Arrays.copyOf(a, (int) wanted);
      levels[level] = a;
    }
    node.hash().copyInto(a, (int) offset);
    counts[level] = Math.max(counts[level], node.index() + 1);
  }

  @Override
  public Hash node(int level, long index) {
    if (level < 0 || level >= 64 || index < 0 || index >= counts[level]) {
      throw new IllegalArgumentException("no stored node at level " + level + ", index " + index);
    }
    int offset = (int) (index * Hash.SIZE);
    return Hash.wrap(Arrays.copyOfRange(levels[level], offset, offset + Hash.SIZE));
  }
}
