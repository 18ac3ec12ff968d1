package org.salus.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a node keeps its tables: an embedded DuckDB file (the default, no server) or a PostgreSQL
 * schema reached by JDBC URL (production).
 */
public sealed interface Database permits Database.DuckDb, Database.Postgres {

  /**
   * The dialect name, also the folder of per-dialect migrations: {@code duckdb}, {@code
   * postgresql}.
   */
  String dialect();

  /** A new connection, in auto-commit mode, positioned on the node's schema. */
  Connection connect();

  /** A DuckDB database in this file (created when absent). */
  record DuckDb(Path file) implements Database {

    public DuckDb {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String dialect() {
      return "duckdb";
    }

    @Override
    public Connection connect() {
      try {
        return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
      } catch (SQLException e) {
        throw new StoreException(
            "store.connect.failed",
            "cannot open the DuckDB database " + file + ": " + e.getMessage(),
            e);
      }
    }
  }

  /**
   * A schema of a PostgreSQL database. The schema is created when absent and becomes the
   * connection's search path, so several nodes can share one database.
   */
  record Postgres(String url, String schema) implements Database {

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public Postgres {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(schema, "schema");
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new StoreException(
            "store.config.invalid", "a PostgreSQL JDBC URL starts with jdbc:postgresql:");
      }
      if (!SCHEMA_NAME.matcher(schema).matches()) {
        throw new StoreException(
            "store.config.invalid",
            "schema name '"
                + schema
                + "' must be lower-case letters, digits and '_', starting with a letter or '_'");
      }
    }

    @Override
    public String dialect() {
      return "postgresql";
    }

    @Override
    public Connection connect() {
      Connection c = null;
      try {
        c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        c.setSchema(schema);
        return c;
      } catch (SQLException e) {
        closeQuietly(c);
        // The URL may carry a password: name only the schema.
        throw new StoreException(
            "store.connect.failed",
            "cannot connect to PostgreSQL for schema " + schema + ": " + e.getMessage(),
            e);
      }
    }

    /** Drops the schema and everything in it (tests, and cleaning up a failed node init). */
    public void dropSchema() {
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        throw new StoreException(
            "store.connect.failed", "cannot drop schema " + schema + ": " + e.getMessage(), e);
      }
    }

    private static void closeQuietly(Connection c) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // Already failing; the first error is the one to report.
        }
      }
    }
  }
}
