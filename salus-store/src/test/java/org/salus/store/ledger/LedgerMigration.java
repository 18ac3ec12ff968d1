package org.salus.store.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs the ledger's migrations ({@code V2__ledger.sql}, {@code V5__ledger_tiles.sql}) by
 * themselves, without the rest of the node's schema.
 */
final class LedgerMigration {

  static final String LEDGER = "V2__ledger.sql";
  static final String TILES = "V5__ledger_tiles.sql";

  private LedgerMigration() {}

  static void apply(Connection c) throws SQLException, IOException {
    apply(c, LEDGER);
    apply(c, TILES);
  }

  /** Runs one migration script of {@code db/migration}. */
  static void apply(Connection c, String script) throws SQLException, IOException {
    String sql;
    try (InputStream in = LedgerMigration.class.getResourceAsStream("/db/migration/" + script)) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder noComments = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        noComments.append(line).append('\n');
      }
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String statement : noComments.toString().split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
      c.commit();
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
