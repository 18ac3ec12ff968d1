package org.salus.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.salus.store.Database;
import org.salus.store.node.Node;

/** Ingest end to end into PostgreSQL (127.0.0.1:5432, database test), each node its schema. */
class IngestPostgresTest extends IngestEndToEndTest {

  static final String URL =
      System.getProperty(
          "salus.test.postgres",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3");

  @BeforeAll
  static void requireServer() {
    assumeTrue(
        reachable(), "PostgreSQL tests skipped: no server at " + URL.replaceAll("\\?.*", ""));
  }

  static boolean reachable() {
    try (Connection c = DriverManager.getConnection(URL)) {
      return c.isValid(3);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  List<String> storeArgs() {
    return List.of("--db", URL);
  }

  @Override
  void dropStore(Node node) {
    if (node.store().database() instanceof Database.Postgres pg) {
      pg.dropSchema();
    }
  }
}
