package org.salus.cli;

import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.salus.core.record.BirthPrecision;
import org.salus.store.node.Node;
import org.salus.store.node.NodeConfig;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code salus node init}: a new node with fresh keys, its configuration and its database. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description =
        "Create a node in an empty or new folder: key material, node.json and the database"
            + " (embedded DuckDB file unless --db names a PostgreSQL database).")
final class NodeInitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--dir", required = true, description = "The node's folder (empty or new).")
  Path dir;

  @Option(
      names = "--db",
      paramLabel = "JDBC-URL",
      description =
          "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db?user=...); default: the embedded"
              + " DuckDB file node.duckdb in the node's folder.")
  Optional<String> db;

  @Option(names = "--name", description = "A name for the node (default: the folder's name).")
  Optional<String> name;

  @Option(
      names = "--birth-precision",
      defaultValue = "month",
      description = "How precisely birth dates are kept: year, month or day (default: month).")
  BirthPrecision birthPrecision;

  record PublicKeys(String signingEd25519, String agreementX25519) {}

  record Result(
      String dir,
      String nodeId,
      String name,
      String birthPrecision,
      Map<String, String> database,
      PublicKeys publicKeys) {}

  @Override
  public Integer call() {
    NodeOptions options = new NodeOptions(db, birthPrecision, name.orElse(""));
    Result result;
    try (Node node = NodeDirectory.init(dir, options)) {
      result = result(node);
    }
    reporting.print(spec.commandLine().getOut(), result, text(result));
    return 0;
  }

  private static Result result(Node node) {
    NodeConfig c = node.config();
    // The URL may carry a password: report the kind and schema only.
    Map<String, String> db =
        switch (c.database()) {
          case NodeConfig.DatabaseSettings.DuckDb d -> map("kind", "duckdb", "file", d.file());
          case NodeConfig.DatabaseSettings.Postgres p ->
              map("kind", "postgresql", "schema", p.schema());
        };
    Base64.Encoder b64 = Base64.getEncoder();
    return new Result(
        node.dir().toString(),
        c.nodeId().toString(),
        c.name(),
        c.birthPrecision().name().toLowerCase(Locale.ROOT),
        db,
        new PublicKeys(
            b64.encodeToString(node.keys().publicKeys().signingRaw()),
            b64.encodeToString(node.keys().publicKeys().agreementRaw())));
  }

  private static Map<String, String> map(String k1, String v1, String k2, String v2) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static String text(Result r) {
    String where =
        r.database().get("kind").equals("duckdb")
            ? "DuckDB file " + r.database().get("file")
            : "PostgreSQL schema " + r.database().get("schema");
    return "Created node '"
        + r.name()
        + "' ("
        + r.nodeId()
        + ") in "
        + r.dir()
        + "\n  database:        "
        + where
        + "\n  birth precision: "
        + r.birthPrecision()
        + "\n  signing key:     Ed25519 "
        + r.publicKeys().signingEd25519()
        + "\n  agreement key:   X25519 "
        + r.publicKeys().agreementX25519()
        + "\n  keys.json is readable by you only; keep a backup of it somewhere safe.\n";
  }
}
