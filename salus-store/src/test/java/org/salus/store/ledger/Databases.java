package org.salus.store.ledger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Test databases: an embedded DuckDB file, or a fresh schema in the local PostgreSQL. */
final class Databases {

  private Databases() {}

  static Connection duckdb(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:" + file);
  }

  /** A connection whose search path is a new schema; skips the test if PostgreSQL is down. */
  static Connection postgres() throws SQLException {
    Connection c;
    try {
      c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
    } catch (SQLException e) {
      assumeTrue(false, "PostgreSQL at 127.0.0.1:5432/test is not reachable: " + e.getMessage());
      throw e;
    }
    String schema = "ledger_" + UUID.randomUUID().toString().replace("-", "");
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute("SET search_path TO " + schema);
    }
    return c;
  }
}
