package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.HashSource;

/**
 * Stored tree hashes: level 0 from {@code ledger_entry.leaf_hash}, higher levels from {@code
 * ledger_node}. One indexed point read per hash; not thread-safe (one per connection user).
 */
public final class JdbcHashSource implements HashSource, AutoCloseable {

  private final PreparedStatement leaf;
  private final PreparedStatement node;

  public JdbcHashSource(Connection c) {
    try {
      leaf = c.prepareStatement("SELECT leaf_hash FROM ledger_entry WHERE idx = ?");
      node = c.prepareStatement("SELECT hash FROM ledger_node WHERE level = ? AND idx = ?");
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot prepare tree reads", e);
    }
  }

  @Override
  public Hash node(int level, long index) {
    try {
      PreparedStatement s;
      if (level == 0) {
        s = leaf;
        s.setLong(1, index);
      } else {
        s = node;
        s.setInt(1, level);
        s.setLong(2, index);
      }
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new IllegalArgumentException(
              "no stored node at level " + level + ", index " + index);
        }
        return Hash.of(r.getBytes(1));
      }
    } catch (SQLException e) {
      throw new LedgerStoreException(
          "ledger.store.read-failed", "cannot read node " + level + "/" + index, e);
    }
  }

  @Override
  public void close() {
    try {
      leaf.close();
      node.close();
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot close tree reads", e);
    }
  }
}
