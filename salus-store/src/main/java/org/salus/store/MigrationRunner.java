package org.salus.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Applies versioned migrations in order, each in its own transaction, and records them in {@code
 * schema_version(version, name, checksum, applied_at)}.
 *
 * <p>Migrations are found by listing {@code db/migration/} on the class path (folders and jars):
 * adding a {@code V<n>__<name>.sql} file is all it takes. A file under {@code
 * db/migration/<dialect>/} with the same version replaces the common one for that dialect. An
 * applied migration whose script changed since is refused, as is a database that holds a version
 * this program does not know (a newer program wrote it).
 */
public final class MigrationRunner {

  static final String ROOT = "db/migration";

  private final List<Migration> migrations;

  /** A runner over the given migrations (tests); versions must be unique. */
  public MigrationRunner(List<Migration> migrations) {
    Map<Integer, Migration> byVersion = new TreeMap<>();
    for (Migration m : migrations) {
      if (byVersion.put(m.version(), m) != null) {
        throw new StoreException(
            "store.migration.duplicate", "two migrations have version " + m.version());
      }
    }
    this.migrations = List.copyOf(byVersion.values());
  }

  /** The migrations on the class path for this dialect. */
  public static MigrationRunner fromClassPath(String dialect) {
    Map<Integer, Migration> common = scan(ROOT);
    Map<Integer, Migration> specific = scan(ROOT + "/" + dialect);
    Map<Integer, Migration> merged = new TreeMap<>(common);
    merged.putAll(specific);
    return new MigrationRunner(new ArrayList<>(merged.values()));
  }

  /** The migrations this runner applies, by version. */
  public List<Migration> migrations() {
    return migrations;
  }

  /** Brings the database up to date; returns the versions applied now (empty when up to date). */
  public List<Integer> migrate(Connection c) {
    try {
      createVersionTable(c);
      Map<Integer, String[]> applied = applied(c);
      verify(applied);
      List<Integer> done = new ArrayList<>();
      for (Migration m : migrations) {
        if (!applied.containsKey(m.version())) {
          apply(c, m);
          done.add(m.version());
        }
      }
      return done;
    } catch (SQLException e) {
      throw new StoreException(
          "store.migration.failed", "cannot migrate the schema: " + e.getMessage(), e);
    }
  }

  private void verify(Map<Integer, String[]> applied) {
    Map<Integer, Migration> known = new TreeMap<>();
    migrations.forEach(m -> known.put(m.version(), m));
    for (var e : applied.entrySet()) {
      Migration m = known.get(e.getKey());
      if (m == null) {
        throw new StoreException(
            "store.migration.unknown",
            "the database has migration V"
                + e.getKey()
                + "__"
                + e.getValue()[0]
                + ", which this program does not know; is it older than the node?");
      }
      if (!m.checksum().equals(e.getValue()[1])) {
        throw new StoreException(
            "store.migration.checksum",
            "migration V"
                + m.version()
                + "__"
                + m.name()
                + " was changed after it was applied (checksum "
                + e.getValue()[1]
                + " recorded, "
                + m.checksum()
                + " now); add a new migration instead of editing an applied one");
      }
    }
  }

  private static void createVersionTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
              + " name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)");
    }
  }

  private static Map<Integer, String[]> applied(Connection c) throws SQLException {
    Map<Integer, String[]> applied = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, name, checksum FROM schema_version")) {
      while (rs.next()) {
        applied.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
      }
    }
    return applied;
  }

  private static void apply(Connection c, Migration m) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        for (String sql : m.statements()) {
          s.execute(sql);
        }
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO schema_version (version, name, checksum, applied_at)"
                  + " VALUES (?, ?, ?, ?)")) {
        p.setInt(1, m.version());
        p.setString(2, m.name());
        p.setString(3, m.checksum());
        p.setTimestamp(
            4, Timestamp.valueOf(Instant.now().atOffset(ZoneOffset.UTC).toLocalDateTime()));
        p.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw new StoreException(
          "store.migration.failed",
          "migration V" + m.version() + "__" + m.name() + " failed: " + e.getMessage(),
          e);
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static Map<Integer, Migration> scan(String folder) {
    Map<Integer, Migration> found = new TreeMap<>();
    try {
      Enumeration<URL> urls = MigrationRunner.class.getClassLoader().getResources(folder);
      for (URL url : Collections.list(urls)) {
        for (Migration m : list(url)) {
          Migration before = found.putIfAbsent(m.version(), m);
          // The same file twice on the class path (classes folder and jar) is one migration.
          if (before != null && !before.equals(m)) {
            throw new StoreException(
                "store.migration.duplicate",
                "two migrations in " + folder + " have version " + m.version());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private static List<Migration> list(URL url) throws IOException {
    try {
      if (url.getProtocol().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(url.toURI(), Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(url.toURI());
        }
        String inJar = url.toString().substring(url.toString().indexOf("!/") + 1);
        return read(fs.getPath(inJar));
      }
      return read(Path.of(url.toURI()));
    } catch (URISyntaxException e) {
      throw new IOException("bad migration location " + url, e);
    }
  }

  private static List<Migration> read(Path folder) throws IOException {
    List<Migration> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String sql;
        try (InputStream in = Files.newInputStream(p)) {
          sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Migration.fromFile(p.getFileName().toString(), sql).ifPresent(out::add);
      }
    }
    return out;
  }
}
