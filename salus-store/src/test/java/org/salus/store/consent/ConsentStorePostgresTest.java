package org.salus.store.consent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.salus.store.Database;

/**
 * The consent store contract on PostgreSQL at 127.0.0.1:5432, database {@code test} (override with
 * {@code -Dsalus.test.postgres=JDBC-URL}); each test its own schema, dropped afterwards. Skipped,
 * saying so, when no server answers.
 */
class ConsentStorePostgresTest extends ConsentStoreContractTest {

  static final String URL =
      System.getProperty(
          "salus.test.postgres",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3");

  private Database.Postgres pg;

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
  Database newDatabase() {
    byte[] b = new byte[6];
    ThreadLocalRandom.current().nextBytes(b);
    pg = new Database.Postgres(URL, "salus_consent_test_" + HexFormat.of().formatHex(b));
    return pg;
  }

  @Override
  void dropDatabase() {
    if (pg != null) {
      pg.dropSchema();
    }
  }
}
