package org.salus.core.ledger.merkle;

import java.util.List;
import java.util.Objects;

/**
 * A {@link HashSource} over a store that keeps only every {@value #STRIDE}th level of perfect
 * subtrees (levels 0, 4, 8, ...), like the tiles of tlog-tiles with height 4: a log of {@code n}
 * entries then stores about {@code n / 15} nodes besides its leaves, a sixteenth of the full
 * layout. A node at level {@code 4q + r} is folded from its {@code 2^r} descendants at level {@code
 * 4q}, fetched with one range read, so a proof still costs {@code O(log n)} reads.
 */
public final class StridedHashSource implements HashSource {

  /** The distance between stored levels. */
  public static final int STRIDE = 4;

  /** Reads consecutive stored hashes of one stored level. */
  @FunctionalInterface
  public interface RangeReader {
    /**
     * The hashes of nodes {@code [from, from + count)} at {@code level}, a multiple of {@link
     * #STRIDE}.
     *
     * @throws IllegalArgumentException if any of them is not stored
     */
    List<Hash> range(int level, long from, int count);
  }

  private final RangeReader reader;

  public StridedHashSource(RangeReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /** Whether a store using this layout keeps the node at {@code level}. */
  public static boolean isStored(int level) {
    return level % STRIDE == 0;
  }

  @Override
  public Hash node(int level, long index) {
    int base = level - level % STRIDE;
    int r = level - base;
    int count = 1 << r;
    List<Hash> hashes = reader.range(base, index << r, count);
    if (hashes.size() != count) {
      throw new IllegalArgumentException("no stored node at level " + level + ", index " + index);
    }
    Hash[] layer = hashes.toArray(new Hash[0]);
    for (int width = count; width > 1; width /= 2) {
      for (int i = 0; i < width / 2; i++) {
        layer[i] = TreeHasher.nodeHash(layer[2 * i], layer[2 * i + 1]);
      }
    }
    return layer[0];
  }
}
