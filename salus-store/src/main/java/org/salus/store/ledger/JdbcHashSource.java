package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.HashSource;
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

  public JdbcHashSource(Connection c) {
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
