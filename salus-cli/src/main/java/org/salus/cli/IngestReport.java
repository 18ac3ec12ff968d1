package org.salus.cli;

import java.util.Locale;
import java.util.Map;

/** The readable form of an ingest result. */
final class IngestReport {

  private IngestReport() {}

  static String text(IngestCommand.Result r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Loaded %d file(s), skipped %d, failed %d: %,d resources in %.1f s (%,.0f/s)%n",
            r.filesLoaded(),
            r.filesSkipped(),
            r.filesFailed(),
            r.resources(),
            r.seconds(),
            r.seconds() > 0 ? r.resources() / r.seconds() : 0.0));
    if (!r.resourcesByType().isEmpty()) {
      b.append("\nResources read\n");
      table(b, r.resourcesByType());
    }
    b.append("\nRows added\n");
    table(b, r.rowsInsertedByTable());
    for (Ingestion.FileOutcome f : r.files()) {
      switch (f) {
        case Ingestion.Skipped s ->
            b.append("skipped ").append(s.file()).append(": ").append(s.reason()).append('\n');
        case Ingestion.Failed x ->
            b.append("FAILED  ")
                .append(x.file())
                .append(": ")
                .append(x.code())
                .append(": ")
                .append(x.message())
                .append('\n');
        case Ingestion.Loaded l -> {}
      }
    }
    return b.toString();
  }

  static void table(StringBuilder b, Map<String, Integer> counts) {
    int width = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
    counts.forEach(
        (k, v) ->
            b.append("  ")
                .append(String.format(Locale.ROOT, "%-" + width + "s %,10d", k, v))
                .append('\n'));
  }
}
