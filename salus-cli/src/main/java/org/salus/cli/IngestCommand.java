package org.salus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.salus.core.error.SalusException;
import org.salus.fhir.ingest.CsvMapping;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code salus ingest}: loads FHIR R4, HL7 v2 and CSV files into a node. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Load FHIR R4 bundles or NDJSON, HL7 v2 messages, or CSV (with --mapping) into a node.",
      "Each file is loaded in one transaction: a bad file leaves nothing behind.",
      "Loading the same data twice changes nothing."
    })
final class IngestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--dir", required = true, description = "The node's directory.")
  Path dir;

  @Option(names = "--mapping", description = "CSV mapping file (see docs/ingest.md).")
  Optional<Path> mapping;

  @Option(
      names = "--continue-on-error",
      description = "Load the good files and list the bad ones, instead of stopping at the first.")
  boolean continueOnError;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files or folders to load.")
  List<Path> inputs;

  record Result(
      String node,
      int filesLoaded,
      int filesSkipped,
      int filesFailed,
      long resources,
      double seconds,
      Map<String, Integer> resourcesByType,
      Map<String, Integer> rowsInsertedByTable,
      List<Ingestion.FileOutcome> files) {}

  @Override
  public Integer call() throws IOException {
    List<Path> files = expand(inputs);
    Optional<CsvMapping> csv = mapping.map(CsvMapping::read);
    Ingestion.Summary summary;
    try (Node node = NodeDirectory.open(dir);
        Progress progress = Progress.start(reporting, "Ingest", files.size())) {
      summary = new Ingestion(node, csv, continueOnError).load(files, progress::stepTo);
    }
    Result result = toResult(summary);
    reporting.print(spec.commandLine().getOut(), result, IngestReport.text(result));
    return summary.failures().isEmpty() ? 0 : ErrorHandler.REFUSED;
  }

  private Result toResult(Ingestion.Summary s) {
    int loaded = 0;
    int skipped = 0;
    int failed = 0;
    for (Ingestion.FileOutcome f : s.files()) {
      switch (f) {
        case Ingestion.Loaded l -> loaded++;
        case Ingestion.Skipped k -> skipped++;
        case Ingestion.Failed x -> failed++;
      }
    }
    return new Result(
        dir.toString(),
        loaded,
        skipped,
        failed,
        s.resourceCount(),
        s.seconds(),
        s.resources(),
        s.rowsInserted(),
        s.files());
  }

  /** Files as given; folders expand to the regular files in them, sorted by name. */
  static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .sorted()
              .forEach(files::add);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new SalusException("ingest.file.missing", "no such file: " + p);
      }
    }
    return files;
  }
}
