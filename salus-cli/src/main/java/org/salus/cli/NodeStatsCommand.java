package org.salus.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.salus.core.record.AnalyticTable;
import org.salus.store.NodeStats;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code salus node stats}: rows per table and persons by sex and decade, for the steward. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description =
        "Count the rows of each analytic table and the persons by sex and decade of birth.")
final class NodeStatsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--dir", required = true, description = "The node's folder.")
  Path dir;

  record Cell(String sex, int decade, long count) {}

  /** The JSON shape: {@code {"tables": {...}, "bySexAndDecade": [...]}}. */
  record Result(Map<String, Long> tables, List<Cell> bySexAndDecade) {

    static Result of(NodeStats stats) {
      Map<String, Long> tables = new LinkedHashMap<>();
      for (AnalyticTable t : AnalyticTable.values()) {
        tables.put(t.tableName(), stats.tables().getOrDefault(t, 0L));
      }
      List<Cell> cells =
          stats.bySexAndDecade().stream()
              .map(c -> new Cell(c.sex().name().toLowerCase(Locale.ROOT), c.decade(), c.count()))
              .toList();
      return new Result(tables, cells);
    }
  }

  @Override
  public Integer call() {
    Result result;
    String name;
    try (Node node = NodeDirectory.open(dir)) {
      result = Result.of(node.store().stats());
      name = node.config().name();
    }
    reporting.print(spec.commandLine().getOut(), result, text(name, result));
    return 0;
  }

  static String text(String name, Result r) {
    StringBuilder sb = new StringBuilder("Node '" + name + "'\n\n");
    sb.append(String.format(Locale.ROOT, "  %-22s %10s%n", "table", "rows"));
    r.tables().forEach((t, n) -> sb.append(String.format(Locale.ROOT, "  %-22s %10d%n", t, n)));
    sb.append("\nPersons by sex and decade of birth\n\n");
    if (r.bySexAndDecade().isEmpty()) {
      sb.append("  (no persons)\n");
      return sb.toString();
    }
    sb.append(String.format(Locale.ROOT, "  %-8s %6s %10s%n", "sex", "decade", "persons"));
    for (Cell c : r.bySexAndDecade()) {
      sb.append(
          String.format(Locale.ROOT, "  %-8s %6s %10d%n", c.sex(), c.decade() + "s", c.count()));
    }
    return sb.toString();
  }
}
