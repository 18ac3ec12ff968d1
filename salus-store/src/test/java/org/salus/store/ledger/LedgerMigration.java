package org.salus.store.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs {@code db/migration/V2__ledger.sql} by itself, until the store's migration runner lands. */
final class LedgerMigration {

  private LedgerMigration() {}

  static void apply(Connection c) throws SQLException, IOException {
    String sql;
    try (InputStream in =
        LedgerMigration.class.getResourceAsStream("/db/migration/V2__ledger.sql")) {
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
