package org.salus.store.study;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.salus.store.TestPostgres;

/** The node databases the study SQL must run on: an embedded DuckDB file and PostgreSQL. */
enum Backend {
  DUCKDB,
  POSTGRES;

  /** A node database with the test schema, dropped on close. */
  NodeDb open() throws SQLException, IOException {
    return switch (this) {
      case DUCKDB -> {
        Path dir = Files.createTempDirectory("salus-study");
        Path file = dir.resolve("node.duckdb");
        Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        createSchema(c);
        yield new NodeDb(
            c,
            () -> {
              Files.deleteIfExists(file);
              Files.deleteIfExists(dir.resolve("node.duckdb.wal"));
              Files.deleteIfExists(dir);
            });
      }
      case POSTGRES -> {
        Connection c = TestPostgres.connectToNewSchema("salus_stats_");
        createSchema(c);
        yield new NodeDb(
            c,
            () -> {
              try (Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + c.getSchema() + " CASCADE");
              }
            });
      }
    };
  }

  private static void createSchema(Connection c) throws SQLException, IOException {
    try (InputStream in = Backend.class.getResourceAsStream("/study/schema.sql");
        Statement s = c.createStatement()) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String stmt : text.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!stmt.isBlank()) {
          s.execute(stmt);
        }
      }
    }
  }

  /** An open node database. */
  record NodeDb(Connection connection, Cleanup cleanup) implements AutoCloseable {
    @Override
    public void close() throws SQLException, IOException {
      try {
        cleanup.run();
      } finally {
        connection.close();
      }
    }
  }

  interface Cleanup {
    void run() throws SQLException, IOException;
  }
}
