package org.salus.store.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.salus.store.Database;
import org.salus.store.NodeStore;
import org.salus.store.StoreException;

/**
 * Creates and opens node directories. A node directory holds {@code node.json} (configuration),
 * {@code keys.json} (key material, owner-only), {@code public-keys.json}, and, for the embedded
 * store, {@code node.duckdb}. See docs/store.md.
 */
public final class NodeDirectory {

  static final String DUCKDB_FILE = "node.duckdb";
  private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)");

  private NodeDirectory() {}

  /**
   * Creates a node in {@code dir} (which must be absent or empty): keys, configuration, database
   * and schema. On failure nothing of it is left behind.
   */
  public static Node init(Path dir, NodeOptions options) {
    Path d = dir.toAbsolutePath().normalize();
    boolean createdDir = prepareDir(d);
    NodeConfig config = newConfig(d, options);
    Optional<Database.Postgres> createdSchema = Optional.empty();
    try {
      if (config.database().toDatabase(d) instanceof Database.Postgres pg) {
        requireFreeSchema(pg);
        createdSchema = Optional.of(pg);
      }
      NodeKeys keys = NodeKeys.generate(new SecureRandom());
      NodeFiles.writeKeys(d, keys);
      NodeFiles.writePublicKeys(d, config, keys);
      NodeStore store = NodeStore.open(config.database().toDatabase(d), keys.dataKey());
      try {
        NodeFiles.writeConfig(d, config);
      } catch (IOException | RuntimeException e) {
        store.close();
        throw e;
      }
      return new Node(d, config, keys, store);
    } catch (IOException | RuntimeException e) {
      createdSchema.ifPresent(pg -> undo(pg::dropSchema, e));
      undo(() -> removeNodeFiles(d, createdDir), e);
      if (e instanceof IOException io) {
        throw new StoreException("node.io", "cannot create the node in " + d + ": " + io, io);
      }
      throw (RuntimeException) e;
    }
  }

  /** Opens the node in {@code dir}, bringing its schema up to date. */
  public static Node open(Path dir) {
    Path d = requireNode(dir);
    NodeConfig config = NodeFiles.readConfig(d);
    NodeKeys keys = NodeFiles.readKeys(d);
    NodeStore store = NodeStore.open(config.database().toDatabase(d), keys.dataKey());
    return new Node(d, config, keys, store);
  }

  /**
   * Reads only the key material of the node in {@code dir} (keys.json), without opening its store:
   * for {@code salus node join} and {@code salus node start}, which need the node's identity, not
   * its data.
   */
  public static NodeKeys readKeys(Path dir) {
    return NodeFiles.readKeys(requireNode(dir));
  }

  private static Path requireNode(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(d)) {
      throw new StoreException("node.not-a-node", d + " is not a node: no such directory");
    }
    if (!Files.isRegularFile(d.resolve(NodeFiles.CONFIG))) {
      throw new StoreException(
          "node.not-a-node",
          d
              + " is not a node: it has no "
              + NodeFiles.CONFIG
              + " (create one with salus node init)");
    }
    return d;
  }

  private static boolean prepareDir(Path d) {
    if (Files.exists(d)) {
      if (!Files.isDirectory(d)) {
        throw new StoreException("node.dir-not-empty", d + " exists and is not a directory");
      }
      if (Files.exists(d.resolve(NodeFiles.CONFIG))) {
        throw new StoreException(
            "node.exists", d + " is already a node; refusing to re-initialise");
      }
      try (Stream<Path> entries = Files.list(d)) {
        if (entries.findAny().isPresent()) {
          throw new StoreException(
              "node.dir-not-empty", d + " is not empty; a node needs an empty or new directory");
        }
      } catch (IOException e) {
        throw new StoreException("node.io", "cannot list " + d + ": " + e.getMessage(), e);
      }
      return false;
    }
    try {
      try {
        Files.createDirectories(
            d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException e) {
        Files.createDirectories(d);
      }
      return true;
    } catch (IOException e) {
      throw new StoreException("node.io", "cannot create " + d + ": " + e.getMessage(), e);
    }
  }

  private static NodeConfig newConfig(Path d, NodeOptions options) {
    UUID id = UUID.randomUUID();
    String name =
        options.nodeName().isBlank() ? String.valueOf(d.getFileName()) : options.nodeName();
    NodeConfig.DatabaseSettings db =
        options
            .jdbcUrl()
            .<NodeConfig.DatabaseSettings>map(
                url ->
                    new NodeConfig.DatabaseSettings.Postgres(
                        url, schemaOf(url).orElse("salus_" + id.toString().substring(0, 8))))
            .orElse(new NodeConfig.DatabaseSettings.DuckDb(DUCKDB_FILE));
    return new NodeConfig(
        NodeConfig.CURRENT_SCHEMA_VERSION,
        id,
        name,
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        options.birthPrecision(),
        db);
  }

  private static Optional<String> schemaOf(String url) {
    Matcher m = CURRENT_SCHEMA.matcher(url);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Refuses a schema that already holds tables: it may be another node's. */
  private static void requireFreeSchema(Database.Postgres pg) {
    try (Connection c = DriverManager.getConnection(pg.url());
        PreparedStatement p =
            c.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ?")) {
      p.setString(1, pg.schema());
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        if (rs.getLong(1) > 0) {
          throw new StoreException(
              "node.exists",
              "PostgreSQL schema " + pg.schema() + " already holds tables; choose another schema");
        }
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store.connect.failed",
          "cannot connect to PostgreSQL for schema " + pg.schema() + ": " + e.getMessage(),
          e);
    }
  }

  private static void removeNodeFiles(Path d, boolean createdDir) throws IOException {
    List<String> ours =
        new ArrayList<>(
            List.of(
                NodeFiles.CONFIG,
                NodeFiles.KEYS,
                NodeFiles.PUBLIC_KEYS,
                DUCKDB_FILE,
                DUCKDB_FILE + ".wal"));
    for (String name : ours) {
      Files.deleteIfExists(d.resolve(name));
    }
    if (createdDir) {
      Files.deleteIfExists(d);
    }
  }

  private interface Undo {
    void run() throws IOException;
  }

  private static void undo(Undo step, Exception failure) {
    try {
      step.run();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
