package org.salus.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL server the store's tests use: {@code -Dsalus.test.postgres=JDBC-URL}, by default
 * 127.0.0.1:5432, database {@code test}, user {@code postgres}. Tests call {@link #require()} and
 * are skipped, saying so, when no server answers; each test works in a schema of its own.
 */
public final class TestPostgres {

  public static final String URL =
      System.getProperty(
          "salus.test.postgres",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3");

  private TestPostgres() {}

  /** Skips the calling test (or class) when the server does not answer. */
  public static void require() {
    assumeTrue(
        reachable(), "PostgreSQL tests skipped: no server at " + URL.replaceAll("\\?.*", ""));
  }

  public static boolean reachable() {
    try (Connection c = DriverManager.getConnection(URL)) {
      return c.isValid(3);
    } catch (SQLException e) {
      return false;
    }
  }

  /** A fresh schema name starting with {@code prefix}. */
  public static String uniqueSchema(String prefix) {
    byte[] b = new byte[6];
    ThreadLocalRandom.current().nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  /** A connection whose search path is a new schema; skips the test when the server is down. */
  public static Connection connectToNewSchema(String prefix) throws SQLException {
    require();
    Connection c = DriverManager.getConnection(URL);
    String schema = uniqueSchema(prefix);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute("SET search_path TO " + schema);
    }
    return c;
  }
}
