package org.salus.bench.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.event.SubjectId;
import org.salus.core.ledger.merkle.CompactTree;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.StoredNode;
import org.salus.core.ledger.merkle.StridedHashSource;
import org.salus.core.ledger.merkle.TreeHasher;

/** Realistic entries and the ledger schema for the benchmarks. */
final class LedgerFixtures {

  private LedgerFixtures() {}

  /** A record-access event of about 150 bytes, distinct per {@code i}. */
  static byte[] entry(long i) {
    EventContext c =
        new EventContext(
            Instant.ofEpochSecond(1_800_000_000L + i),
            ActorId.ofCredential("clinician-" + (i % 97)),
            Optional.of(
                new SubjectId(
                    TreeHasher.leafHash(Long.toString(i).getBytes(StandardCharsets.UTF_8)))),
            "care",
            List.of("condition", "medication"),
            Optional.of(TreeHasher.emptyRoot()));
    return EntryCodec.encode(new LedgerEvent.RecordAccess(c));
  }

  /** The ledger's tables: {@code V2__ledger.sql} and {@code V5__ledger_tiles.sql}. */
  static void migrate(Connection c) throws SQLException, IOException {
    migrate(c, "V2__ledger.sql");
    migrate(c, "V5__ledger_tiles.sql");
  }

  private static void migrate(Connection c, String script) throws SQLException, IOException {
    String sql;
    try (InputStream in = LedgerFixtures.class.getResourceAsStream("/db/migration/" + script)) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder b = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        b.append(line).append('\n');
      }
    }
    try (Statement s = c.createStatement()) {
      for (String statement : b.toString().split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  /**
   * Fills an empty DuckDB ledger with {@code size} entries of about 150 bytes in bulk, the same
   * rows {@code LedgerAppender} would write (entries and leaf hashes by DuckDB's SQL, then the
   * stored nodes and leaf tiles from one pass over the leaf hashes), far faster than appending
   * batch by batch: for proof benchmarks at ten million entries. Returns the root.
   */
  static Hash bulkFill(Connection c, long size) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO ledger_entry SELECT i, unhex(sha256('\\x00'::BLOB || e)), e FROM"
              + " (SELECT i, (repeat('x', 140) || i)::BLOB AS e FROM range("
              + size
              + ") t(i))");
    }
    c.commit();
    CompactTree tree = new CompactTree();
    long step = 1 << 20;
    try (PreparedStatement read =
            c.prepareStatement(
                "SELECT leaf_hash FROM ledger_entry WHERE idx >= ? AND idx < ? ORDER BY idx");
        Rows nodes = new Rows(c, "ledger_node", 3);
        Rows tiles = new Rows(c, "ledger_tile", 2)) {
      byte[] tile = new byte[16 * Hash.SIZE];
      for (long from = 0; from < size; from += step) {
        read.setLong(1, from);
        read.setLong(2, from + step);
        List<Hash> leaves = new ArrayList<>();
        try (ResultSet r = read.executeQuery()) {
          while (r.next()) {
            leaves.add(Hash.of(r.getBytes(1)));
          }
        }
        for (Hash leaf : leaves) {
          long idx = tree.size();
          leaf.copyInto(tile, (int) (idx % 16) * Hash.SIZE);
          if (idx % 16 == 15) {
            tiles.add(idx / 16, tile.clone());
          }
          for (StoredNode n : tree.append(leaf)) {
            if (n.level() > 0 && StridedHashSource.isStored(n.level())) {
              nodes.add((short) n.level(), n.index(), n.hash().toByteArray());
            }
          }
        }
        nodes.flush();
        tiles.flush();
        c.commit();
      }
    }
    if (tree.size() != size) {
      throw new IllegalStateException("bulk fill wrote " + tree.size() + " of " + size);
    }
    c.setAutoCommit(auto);
    return tree.root();
  }

  /** Buffered 512-row INSERTs into one table. */
  private static final class Rows implements AutoCloseable {
    private static final int ROWS = 512;
    private final PreparedStatement insert;
    private final int columns;
    private final List<Object[]> pending = new ArrayList<>();
    private final String table;
    private final Connection c;

    Rows(Connection c, String table, int columns) throws SQLException {
      this.c = c;
      this.table = table;
      this.columns = columns;
      this.insert = c.prepareStatement(sql(table, columns, ROWS));
    }

    private static String sql(String table, int columns, int rows) {
      String row = "(?" + ", ?".repeat(columns - 1) + ")";
      return "INSERT INTO "
          + table
          + " VALUES "
          + String.join(", ", Collections.nCopies(rows, row));
    }

    void add(Object... row) throws SQLException {
      pending.add(row);
      if (pending.size() == ROWS) {
        write(insert, pending);
        pending.clear();
      }
    }

    void flush() throws SQLException {
      if (!pending.isEmpty()) {
        try (PreparedStatement s = c.prepareStatement(sql(table, columns, pending.size()))) {
          write(s, pending);
        }
        pending.clear();
      }
    }

    private void write(PreparedStatement s, List<Object[]> rows) throws SQLException {
      int p = 1;
      for (Object[] row : rows) {
        for (Object v : row) {
          s.setObject(p++, v);
        }
      }
      s.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
      insert.close();
    }
  }
}
