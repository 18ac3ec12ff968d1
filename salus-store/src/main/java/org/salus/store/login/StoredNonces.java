package org.salus.store.login;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.salus.store.Database;
import org.salus.store.MigrationRunner;
import org.salus.store.StoreException;

/**
 * The login nonces a node has issued and not yet seen used, in the node's database (table {@code
 * login_nonce}, migration V6), so that a nonce stays single-use across a restart. Keys are opaque
 * (the server stores a digest of each nonce). Taking a key is one {@code DELETE}: of two concurrent
 * takes, also from two processes over one PostgreSQL schema, at most one succeeds. One connection,
 * used by one thread at a time (methods are synchronised).
 */
public final class StoredNonces implements AutoCloseable {

  private final Connection connection;
  private final boolean duckDb;

  private StoredNonces(Connection connection, boolean duckDb) {
    this.connection = connection;
    this.duckDb = duckDb;
  }

  /** Connects and brings the schema up to date. */
  public static StoredNonces open(Database database) {
    Connection c = database.connect();
    try {
      MigrationRunner.fromClassPath(database.dialect()).migrate(c);
      return new StoredNonces(c, database instanceof Database.DuckDb);
    } catch (RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Records an issued key, usable until {@code expiry} (exclusive). */
  public synchronized void put(String key, Instant expiry) {
    requireKey(key);
    Objects.requireNonNull(expiry, "expiry");
    update(
        "INSERT INTO login_nonce (digest, expires_at) VALUES (?, ?)",
        "store.nonce.write-failed",
        "cannot record a login nonce",
        key,
        utc(expiry));
  }

  /**
   * Removes {@code key}; true only when it was recorded, not taken before, and {@code now} is
   * before its expiry. An expired key is left for {@link #purgeExpired}.
   */
  public synchronized boolean take(String key, Instant now) {
    Objects.requireNonNull(now, "now");
    if (key == null || key.isEmpty()) {
      return false;
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "DELETE FROM login_nonce WHERE digest = ? AND expires_at > ?")) {
      s.setString(1, key);
      s.setObject(2, utc(now));
      int rows = s.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return rows == 1;
    } catch (SQLException e) {
      if (duckDb && lostRaceInDuckDb(e)) {
        return false;
      }
      throw new StoreException(
          "store.nonce.write-failed", "cannot use up a login nonce: " + e.getMessage(), e);
    }
  }

  /**
   * DuckDB's optimistic concurrency refuses the second of two connections deleting one row
   * ("Conflict on tuple deletion") instead of answering zero rows as PostgreSQL does: another
   * connection took (or purged) the key, so this take fails. DuckDB gives no SQLSTATE for it.
   */
  private static boolean lostRaceInDuckDb(SQLException e) {
    String m = e.getMessage();
    return m != null && m.contains("Conflict on tuple deletion");
  }

  /** Removes every key whose expiry is at or before {@code now}; returns how many. */
  public synchronized int purgeExpired(Instant now) {
    return update(
        "DELETE FROM login_nonce WHERE expires_at <= ?",
        "store.nonce.write-failed",
        "cannot purge expired login nonces",
        utc(now));
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException(
          "store.close.failed", "cannot close the login-nonce connection: " + e.getMessage(), e);
    }
  }

  private int update(String sql, String code, String what, Object... args) {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      int rows = s.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return rows;
    } catch (SQLException e) {
      throw new StoreException(code, what + ": " + e.getMessage(), e);
    }
  }

  private static LocalDateTime utc(Instant t) {
    return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 128) {
      throw new StoreException(
          "store.nonce.invalid", "a login-nonce key is 1 to 128 characters, not empty or longer");
    }
  }
}
