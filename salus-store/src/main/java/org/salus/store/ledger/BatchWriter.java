package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.StoredNode;

/**
 * Multi-row INSERTs of entries, nodes and leaf tiles through cached statements of 256, 128, ..., 2
 * and 1 rows (the binary digits of the row count: at most 8 statements for a batch under 256 rows,
 * such as the 60-odd nodes or tiles of a 1000-entry batch): DuckDB and PostgreSQL both run one
 * many-row statement far faster than many one-row ones, each statement executed costs DuckDB (as
 * profiled) roughly as much as a hundred rows, and preparing a statement per batch would cost as
 * much as the insert.
 */
final class BatchWriter implements AutoCloseable {

  private static final int[] CHUNKS = {256, 128, 64, 32, 16, 8, 4, 2, 1};

  private final Connection c;
  private final Map<String, PreparedStatement> cache = new HashMap<>();

  BatchWriter(Connection c) {
    this.c = c;
  }

  @FunctionalInterface
  private interface RowBinder {
    int bind(PreparedStatement s, int param, int row) throws SQLException;
  }

  void entries(long firstIndex, List<byte[]> entries, List<Hash> leafHashes) throws SQLException {
    insert(
        "ledger_entry (idx, leaf_hash, entry)",
        3,
        entries.size(),
        (s, p, i) -> {
          s.setLong(p, firstIndex + i);
          s.setBytes(p + 1, leafHashes.get(i).toByteArray());
          s.setBytes(p + 2, entries.get(i));
          return p + 3;
        });
  }

  void nodes(List<StoredNode> nodes) throws SQLException {
    insert(
        "ledger_node (level, idx, hash)",
        3,
        nodes.size(),
        (s, p, i) -> {
          StoredNode n = nodes.get(i);
          s.setInt(p, n.level());
          s.setLong(p + 1, n.index());
          s.setBytes(p + 2, n.hash().toByteArray());
          return p + 3;
        });
  }

  /** Leaf tiles: {@code hashes.get(i)} is the 512-byte tile {@code firstTile + i}. */
  void tiles(long firstTile, List<byte[]> hashes) throws SQLException {
    insert(
        "ledger_tile (idx, hashes)",
        2,
        hashes.size(),
        (s, p, i) -> {
          s.setLong(p, firstTile + i);
          s.setBytes(p + 1, hashes.get(i));
          return p + 2;
        });
  }

  private void insert(String table, int columns, int rows, RowBinder binder) throws SQLException {
    int at = 0;
    for (int chunk : CHUNKS) {
      while (rows - at >= chunk) {
        PreparedStatement s = statement(table, columns, chunk);
        int p = 1;
        for (int i = at; i < at + chunk; i++) {
          p = binder.bind(s, p, i);
        }
        s.executeUpdate();
        at += chunk;
      }
    }
  }

  private PreparedStatement statement(String table, int columns, int rows) throws SQLException {
    String key = table + "#" + rows;
    PreparedStatement s = cache.get(key);
    if (s == null) {
      String row = "(?" + ", ?".repeat(columns - 1) + ")";
      StringBuilder b = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
      for (int i = 0; i < rows; i++) {
        b.append(i == 0 ? "" : ", ").append(row);
      }
      s = c.prepareStatement(b.toString());
      cache.put(key, s);
    }
    return s;
  }

  @Override
  public void close() {
    for (PreparedStatement s : cache.values()) {
      try {
        s.close();
      } catch (SQLException ignored) {
        // Closing the connection releases it anyway.
      }
    }
    cache.clear();
  }
}
