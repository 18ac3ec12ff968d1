package org.salus.store.node;

import java.util.Objects;
import java.util.Optional;
import org.salus.core.record.BirthPrecision;

/**
 * Choices made when a node is created.
 *
 * @param jdbcUrl a PostgreSQL JDBC URL; empty for the embedded DuckDB file {@code node.duckdb}
 *     inside the node directory. The node's tables go into the schema named by the URL's {@code
 *     currentSchema} parameter, else {@code salus_<first 8 hex digits of the node id>}.
 * @param birthPrecision how precisely birth dates are stored (default {@link BirthPrecision#MONTH})
 * @param nodeName a human-readable name for the node (default: the directory's name)
 */
public record NodeOptions(
    Optional<String> jdbcUrl, BirthPrecision birthPrecision, String nodeName) {

  public NodeOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(birthPrecision, "birthPrecision");
    Objects.requireNonNull(nodeName, "nodeName");
  }

  /** Embedded DuckDB, month precision, and this name. */
  public static NodeOptions defaults(String nodeName) {
    return new NodeOptions(Optional.empty(), BirthPrecision.MONTH, nodeName);
  }

  /** Embedded DuckDB, month precision, and a name taken from the directory at init. */
  public static NodeOptions defaults() {
    return defaults("");
  }

  public NodeOptions withJdbcUrl(String url) {
    return new NodeOptions(Optional.of(url), birthPrecision, nodeName);
  }

  public NodeOptions withBirthPrecision(BirthPrecision precision) {
    return new NodeOptions(jdbcUrl, precision, nodeName);
  }

  public NodeOptions withNodeName(String name) {
    return new NodeOptions(jdbcUrl, birthPrecision, name);
  }
}
