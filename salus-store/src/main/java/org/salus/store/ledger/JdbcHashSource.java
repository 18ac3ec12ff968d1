package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.HashSource;
import org.salus.core.ledger.merkle.NodeId;
import org.salus.core.ledger.merkle.StridedHashSource;

/**
 * Stored tree hashes in the strided layout of {@link StridedHashSource}: level 0 from {@code
 * ledger_entry.leaf_hash}, levels 4, 8, ... from {@code ledger_node}; other levels are folded from
 * one range read. Not thread-safe (one per connection user).
 */
public final class JdbcHashSource implements HashSource, AutoCloseable {

  private final PreparedStatement leaves;
  private final PreparedStatement nodes;
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
   * one query, for the tile of at most 16 leaves around its entry. About {@code n / 15} hashes are
   * held (some 80 MB at ten million entries).
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
    if (caching && level > 0) {
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
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot close tree reads", e);
    }
  }
}
