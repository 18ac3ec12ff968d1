package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.StoredNode;

/**
 * Multi-row INSERTs of entries and nodes: one statement per chunk of rows, which both DuckDB and
 * PostgreSQL execute far faster than one statement per row.
 */
final class BatchWriter {

  private static final int CHUNK = 256;

  private final Connection c;

  BatchWriter(Connection c) {
    this.c = c;
  }

  void entries(long firstIndex, List<byte[]> entries, List<Hash> leafHashes) throws SQLException {
    for (int from = 0; from < entries.size(); from += CHUNK) {
      int n = Math.min(CHUNK, entries.size() - from);
      try (PreparedStatement s =
          c.prepareStatement(insert("ledger_entry (idx, leaf_hash, entry)", 3, n))) {
        int p = 1;
        for (int i = from; i < from + n; i++) {
          s.setLong(p++, firstIndex + i);
          s.setBytes(p++, leafHashes.get(i).toByteArray());
          s.setBytes(p++, entries.get(i));
        }
        s.executeUpdate();
      }
    }
  }

  void nodes(List<StoredNode> nodes) throws SQLException {
    for (int from = 0; from < nodes.size(); from += CHUNK) {
      int n = Math.min(CHUNK, nodes.size() - from);
      try (PreparedStatement s =
          c.prepareStatement(insert("ledger_node (level, idx, hash)", 3, n))) {
        int p = 1;
        for (int i = from; i < from + n; i++) {
          StoredNode node = nodes.get(i);
          s.setInt(p++, node.level());
          s.setLong(p++, node.index());
          s.setBytes(p++, node.hash().toByteArray());
        }
        s.executeUpdate();
      }
    }
  }

  private static String insert(String table, int columns, int rows) {
    String row = "(" + "?, ".repeat(columns - 1) + "?)";
    StringBuilder b = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
    for (int i = 0; i < rows; i++) {
      b.append(i == 0 ? "" : ", ").append(row);
    }
    return b.toString();
  }
}
