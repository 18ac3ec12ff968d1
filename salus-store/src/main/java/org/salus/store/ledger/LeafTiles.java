package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.salus.core.ledger.merkle.Hash;

/**
 * The {@code ledger_tile} table: row {@code t} holds the leaf hashes of entries {@code [16 t, 16 t
 * + 16)} concatenated, written once those 16 entries are committed. A proof then reads its bottom
 * four levels with one primary-key lookup instead of a range scan of {@code ledger_entry}. Tiles
 * are derived data: a missing one is read from the entries instead.
 */
final class LeafTiles {

  /** Leaves per tile: the four levels below the lowest stored node level. */
  static final int WIDTH = 16;

  /** Bytes in a complete tile. */
  static final int BYTES = WIDTH * Hash.SIZE;

  /** Tiles written per transaction when filling in the tiles of an older ledger. */
  private static final int BACKFILL_CHUNK = 4096;

  private LeafTiles() {}

  /**
   * Writes the tiles missing below {@code size} entries, committing every {@value #BACKFILL_CHUNK}
   * tiles: all of them in a ledger written before {@code V5__ledger_tiles}, and any deleted since.
   * Tiles beyond the entries (a truncated log) are refused.
   *
   * @return the number of tiles written
   */
  static long backfill(Connection c, long size) throws SQLException {
    long complete = size / WIDTH;
    long count;
    long next;
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT COUNT(*), COALESCE(MAX(idx) + 1, 0) FROM ledger_tile")) {
      r.next();
      count = r.getLong(1);
      next = r.getLong(2);
    }
    if (next > complete) {
      throw new LedgerStoreException(
          "ledger.store.tiles-beyond-log",
          "ledger_tile holds tile "
              + (next - 1)
              + " but the "
              + size
              + " stored entries complete only "
              + complete
              + " tiles; run `salus ledger verify`");
    }
    if (count == complete) {
      return 0;
    }
    // Tiles are written in order, so they are a prefix unless some were deleted.
    long start = count == next ? next : 0;
    long written = 0;
    try (BatchWriter w = new BatchWriter(c);
        PreparedStatement present =
            c.prepareStatement("SELECT idx FROM ledger_tile WHERE idx >= ? AND idx < ?")) {
      for (long t = start; t < complete; t += BACKFILL_CHUNK) {
        long end = Math.min(complete, t + BACKFILL_CHUNK);
        Set<Long> stored = new HashSet<>();
        present.setLong(1, t);
        present.setLong(2, end);
        try (ResultSet r = present.executeQuery()) {
          while (r.next()) {
            stored.add(r.getLong(1));
          }
        }
        if (stored.size() == end - t) {
          continue;
        }
        byte[] leaves = leaves(c, t * WIDTH, end * WIDTH);
        if (leaves.length != (end - t) * BYTES) {
          throw new LedgerStoreException(
              "ledger.store.entry-gap",
              "entry "
                  + (t * WIDTH + leaves.length / Hash.SIZE)
                  + " is missing; run `salus ledger verify`");
        }
        // Runs of consecutive missing tiles, each one multi-row insert.
        long run = -1;
        List<byte[]> tiles = new ArrayList<>();
        for (long i = t; i <= end; i++) {
          if (i < end && !stored.contains(i)) {
            if (tiles.isEmpty()) {
              run = i;
            }
            int at = (int) (i - t) * BYTES;
            tiles.add(Arrays.copyOfRange(leaves, at, at + BYTES));
          } else if (!tiles.isEmpty()) {
            w.tiles(run, tiles);
            written += tiles.size();
            tiles = new ArrayList<>();
          }
        }
        c.commit();
      }
    }
    return written;
  }

  /**
   * The stored leaf hashes of entries {@code [from, to)}, concatenated; stops short at the first
   * missing entry.
   */
  static byte[] leaves(Connection c, long from, long to) throws SQLException {
    byte[] out = new byte[Math.toIntExact((to - from) * Hash.SIZE)];
    int n = 0;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT idx, leaf_hash FROM ledger_entry WHERE idx >= ? AND idx < ? ORDER BY idx")) {
      s.setLong(1, from);
      s.setLong(2, to);
      try (ResultSet r = s.executeQuery()) {
        while (r.next() && r.getLong(1) == from + n) {
          byte[] h = r.getBytes(2);
          if (h.length != Hash.SIZE) {
            throw new LedgerStoreException(
                "ledger.store.bad-hash",
                "entry " + (from + n) + " has a leaf hash of " + h.length + " bytes");
          }
          System.arraycopy(h, 0, out, n * Hash.SIZE, Hash.SIZE);
          n++;
        }
      }
    }
    return n * Hash.SIZE == out.length ? out : Arrays.copyOf(out, n * Hash.SIZE);
  }
}
