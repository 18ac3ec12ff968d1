package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.NodeId;
import org.salus.core.ledger.merkle.Prefetch;
import org.salus.core.ledger.merkle.StridedHashSource;

/**
 * Fetches the nodes a proof needs in two queries (leaves, stored levels), expanding each wanted
 * node to the range of stored descendants it is folded from ({@link StridedHashSource}). The SQL
 * carries only numbers this class computed, so it is built as text.
 */
final class BatchNodeReader implements Prefetch.BatchReader {

  private final Connection c;

  BatchNodeReader(Connection c) {
    this.c = c;
  }

  @Override
  public Map<NodeId, Hash> read(Collection<NodeId> wanted) {
    List<String> leafRanges = new ArrayList<>();
    List<String> nodeRanges = new ArrayList<>();
    for (NodeId id : wanted) {
      int base = id.level() - id.level() % StridedHashSource.STRIDE;
      int r = id.level() - base;
      long from = id.index() << r;
      long to = ((id.index() + 1) << r) - 1;
      if (base == 0) {
        leafRanges.add("(idx BETWEEN " + from + " AND " + to + ")");
      } else {
        nodeRanges.add("(level = " + base + " AND idx BETWEEN " + from + " AND " + to + ")");
      }
    }
    Map<NodeId, Hash> stored = new HashMap<>();
    try (Statement s = c.createStatement()) {
      if (!leafRanges.isEmpty()) {
        collect(
            s,
            "SELECT 0, idx, leaf_hash FROM ledger_entry WHERE " + String.join(" OR ", leafRanges),
            stored);
      }
      if (!nodeRanges.isEmpty()) {
        collect(
            s,
            "SELECT level, idx, hash FROM ledger_node WHERE " + String.join(" OR ", nodeRanges),
            stored);
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read proof nodes", e);
    }
    StridedHashSource strided =
        new StridedHashSource(
            (level, from, count) -> {
              List<Hash> out = new ArrayList<>(count);
              for (long i = from; i < from + count; i++) {
                Hash h = stored.get(new NodeId(level, i));
                if (h != null) {
                  out.add(h);
                }
              }
              return out;
            });
    Map<NodeId, Hash> result = new HashMap<>();
    for (NodeId id : wanted) {
      try {
        result.put(id, strided.node(id.level(), id.index()));
      } catch (IllegalArgumentException missing) {
        // Left out: the proof builder reports the missing node.
      }
    }
    return result;
  }

  private static void collect(Statement s, String sql, Map<NodeId, Hash> into) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        into.put(new NodeId(r.getInt(1), r.getLong(2)), Hash.of(r.getBytes(3)));
      }
    }
  }
}
