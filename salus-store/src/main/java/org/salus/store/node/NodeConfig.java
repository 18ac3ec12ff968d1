package org.salus.store.node;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.salus.core.record.BirthPrecision;
import org.salus.store.Database;

/**
 * A node's configuration, kept as {@code node.json} in the node directory. Every field is required;
 * unknown fields are refused (see docs/store.md).
 *
 * @param schemaVersion the version of this file's layout; {@value #CURRENT_SCHEMA_VERSION} today
 * @param nodeId random, fixed at init; names the node to its peers
 * @param name human-readable name
 * @param created when the node was initialised
 * @param birthPrecision how precisely birth dates are stored
 * @param database where the tables live
 */
public record NodeConfig(
    int schemaVersion,
    UUID nodeId,
    String name,
    Instant created,
    BirthPrecision birthPrecision,
    DatabaseSettings database) {

  public static final int CURRENT_SCHEMA_VERSION = 1;

  public NodeConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(birthPrecision, "birthPrecision");
    Objects.requireNonNull(database, "database");
  }

  /** The first 8 hex digits of the node id, for schema names and logs. */
  public String shortId() {
    return nodeId.toString().substring(0, 8);
  }

  /** Where the tables live: {@code {"kind":"duckdb",...}} or {@code {"kind":"postgresql",...}}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = DatabaseSettings.DuckDb.class, name = "duckdb"),
    @JsonSubTypes.Type(value = DatabaseSettings.Postgres.class, name = "postgresql")
  })
  public sealed interface DatabaseSettings {

    /** The database, resolving relative files against the node directory. */
    Database toDatabase(Path nodeDir);

    /**
     * The embedded DuckDB file.
     *
     * @param file the DuckDB file, relative to the node directory ({@code node.duckdb})
     */
    record DuckDb(String file) implements DatabaseSettings {
      public DuckDb {
        Objects.requireNonNull(file, "file");
      }

      @Override
      public Database toDatabase(Path nodeDir) {
        return new Database.DuckDb(nodeDir.resolve(file));
      }
    }

    /**
     * A PostgreSQL schema.
     *
     * @param url the PostgreSQL JDBC URL
     * @param schema the node's schema in that database
     */
    record Postgres(String url, String schema) implements DatabaseSettings {
      public Postgres {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(schema, "schema");
      }

      @Override
      public Database toDatabase(Path nodeDir) {
        return new Database.Postgres(url, schema);
      }
    }
  }
}
