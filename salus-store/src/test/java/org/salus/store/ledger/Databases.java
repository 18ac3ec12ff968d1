package org.salus.store.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.salus.store.TestPostgres;

/** Test databases: an embedded DuckDB file, or a fresh schema in the local PostgreSQL. */
final class Databases {

  private Databases() {}

  static Connection duckdb(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:" + file);
  }

  /** A connection whose search path is a new schema; skips the test if PostgreSQL is down. */
  static Connection postgres() throws SQLException {
    return TestPostgres.connectToNewSchema("ledger_");
  }
}
