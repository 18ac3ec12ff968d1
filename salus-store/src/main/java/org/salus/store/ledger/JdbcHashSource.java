package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.HashSource;
import org.salus.core.ledger.merkle.NodeId;
import org.salus.core.ledger.merkle.StridedHashSource;

/**
 * Stored tree hashes in the strided layout of {@link StridedHashSource}: level 0 from {@code
 * ledger_tile} (one primary-key read gives the 16 leaves below a level-4 node), or from {@code
 * ledger_entry.leaf_hash} where a tile is not written yet; levels 4, 8, ... from {@code
 * ledger_node}; other levels are folded from one range read. The last {@value #TILE_CACHE} tiles
 * read are kept (leaves never change), so a proof reads its tile once for all four bottom levels.
 * Not thread-safe (one per connection user).
 */
public final class JdbcHashSource implements HashSource, AutoCloseable {

  private static final int TILE_CACHE = 64;

  private final PreparedStatement leaves;
  private final PreparedStatement nodes;
  private final PreparedStatement tiles;
  // Tile index -> the leaf hashes read for it: 16 for a complete tile, fewer at the log's end.
  private final Map<Long, byte[]> tileCache =
      new LinkedHashMap<>(TILE_CACHE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
          return size() > TILE_CACHE;
        }
      };
  private final StridedHashSource strided;
  private final Map<NodeId, Hash> cache = new HashMap<>();
  private final boolean caching;

  /** A source that reads every hash from the database. */
  public JdbcHashSource(Connection c) {
    this(c, false);
  }

  /**
   * A source that keeps the stored upper levels (4, 8, ...) in memory, loaded with one scan and
   * extended on a miss; stored nodes never change, so the cache is never stale. Then a proof costs
   * one primary-key read, for the tile of 16 leaves around its entry. About {@code n / 15} hashes
   * are held (some 80 MB at ten million entries).
   */
  public static JdbcHashSource cachingUpperLevels(Connection c) {
    JdbcHashSource s = new JdbcHashSource(c, true);
    try (Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT level, idx, hash FROM ledger_node")) {
      while (r.next()) {
        s.cache.put(new NodeId(r.getInt(1), r.getLong(2)), Hash.of(r.getBytes(3)));
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot load tree nodes", e);
    }
    return s;
  }

  private JdbcHashSource(Connection c, boolean caching) {
    this.caching = caching;
    try {
      leaves =
          c.prepareStatement(
              "SELECT leaf_hash FROM ledger_entry WHERE idx >= ? AND idx < ? ORDER BY idx");
      nodes =
          c.prepareStatement(
              "SELECT hash FROM ledger_node WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx");
      tiles = c.prepareStatement("SELECT hashes FROM ledger_tile WHERE idx = ?");
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot prepare tree reads", e);
    }
    strided = new StridedHashSource(this::range);
  }

  @Override
  public Hash node(int level, long index) {
    return strided.node(level, index);
  }

  private List<Hash> range(int level, long from, int count) {
    if (level == 0) {
      return leaves(from, count);
    }
    if (caching) {
      List<Hash> cached = new ArrayList<>(count);
      for (long i = from; i < from + count; i++) {
        Hash h = cache.get(new NodeId(level, i));
        if (h == null) {
          break;
        }
        cached.add(h);
      }
      if (cached.size() == count) {
        return cached;
      }
      List<Hash> read = query(level, from, count);
      for (int i = 0; i < read.size(); i++) {
        cache.put(new NodeId(level, from + i), read.get(i));
      }
      return read;
    }
    return query(level, from, count);
  }

  // Leaves [from, from + count) lie in one tile: StridedHashSource reads at most 8, aligned.
  private List<Hash> leaves(long from, int count) {
    long tile = from / LeafTiles.WIDTH;
    if ((from + count - 1) / LeafTiles.WIDTH != tile) {
      return query(0, from, count);
    }
    int offset = (int) (from - tile * LeafTiles.WIDTH);
    byte[] t = tileCache.get(tile);
    if (t == null || t.length < (offset + count) * Hash.SIZE) {
      t = readTile(tile);
      tileCache.put(tile, t);
    }
    int available = Math.min(count, t.length / Hash.SIZE - offset);
    List<Hash> out = new ArrayList<>(Math.max(available, 0));
    for (int i = 0; i < available; i++) {
      int at = (offset + i) * Hash.SIZE;
      out.add(Hash.of(Arrays.copyOfRange(t, at, at + Hash.SIZE)));
    }
    return out;
  }

  private byte[] readTile(long tile) {
    try {
      tiles.setLong(1, tile);
      try (ResultSet r = tiles.executeQuery()) {
        if (r.next()) {
          byte[] t = r.getBytes(1);
          if (t.length != LeafTiles.BYTES) {
            throw new LedgerStoreException(
                "ledger.store.bad-tile", "tile " + tile + " has " + t.length + " bytes");
          }
          return t;
        }
      }
      byte[] t = new byte[LeafTiles.BYTES];
      int n = 0;
      List<Hash> stored = query(0, tile * LeafTiles.WIDTH, LeafTiles.WIDTH);
      for (Hash h : stored) {
        h.copyInto(t, n++ * Hash.SIZE);
      }
      return n == LeafTiles.WIDTH ? t : Arrays.copyOf(t, n * Hash.SIZE);
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read tile " + tile, e);
    }
  }

  private List<Hash> query(int level, long from, int count) {
    try {
      PreparedStatement s;
      if (level == 0) {
        s = leaves;
        s.setLong(1, from);
        s.setLong(2, from + count);
      } else {
        s = nodes;
        s.setInt(1, level);
        s.setLong(2, from);
        s.setLong(3, from + count);
      }
      List<Hash> out = new ArrayList<>(count);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(Hash.of(r.getBytes(1)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new LedgerStoreException(
          "ledger.store.read-failed", "cannot read nodes " + level + "/" + from + "+" + count, e);
    }
  }

  @Override
  public void close() {
    try {
      leaves.close();
      nodes.close();
      tiles.close();
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot close tree reads", e);
    }
  }
}
