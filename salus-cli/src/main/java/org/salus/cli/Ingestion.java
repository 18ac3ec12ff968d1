package org.salus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.IngestBatch;
import org.salus.fhir.ingest.CsvMapping;
import org.salus.fhir.ingest.IngestContext;
import org.salus.fhir.ingest.IngestException;
import org.salus.fhir.ingest.SourceReader;
import org.salus.store.WriteResult;
import org.salus.store.node.Node;

/**
 * Loads files into one node: each file is read, mapped and written in one transaction, so a bad
 * file leaves nothing behind. Files already loaded (same SHA-256) are skipped. A file whose
 * references point at records in a file not yet loaded (an NDJSON export keeps patients and their
 * observations apart) is retried after the others, so the order files are named in does not matter.
 */
final class Ingestion {

  /** What happened to one file. */
  sealed interface FileOutcome permits Loaded, Skipped, Failed {
    String file();
  }

  record Loaded(
      String file, SortedMap<String, Integer> resources, Map<String, Integer> rowsInserted)
      implements FileOutcome {}

  record Skipped(String file, String reason) implements FileOutcome {}

  record Failed(String file, String code, String message) implements FileOutcome {}

  /** The totals over all files. */
  record Summary(
      List<FileOutcome> files,
      SortedMap<String, Integer> resources,
      Map<String, Integer> rowsInserted,
      long resourceCount,
      double seconds) {

    List<Failed> failures() {
      return files.stream().filter(Failed.class::isInstance).map(Failed.class::cast).toList();
    }
  }

  private static final String ALREADY_LOADED = "already loaded (same SHA-256)";

  private final Node node;
  private final Optional<CsvMapping> mapping;
  private final boolean continueOnError;

  Ingestion(Node node, Optional<CsvMapping> mapping, boolean continueOnError) {
    this.node = node;
    this.mapping = mapping;
    this.continueOnError = continueOnError;
  }

  /**
   * Loads {@code files} in order, then retries those that failed only on a reference to a record of
   * another file. Without {@code continueOnError} the first failure that survives the retry is
   * thrown; files loaded before it stay loaded (each is its own transaction).
   */
  Summary load(List<Path> files, LongConsumer progress) throws IOException {
    long start = System.nanoTime();
    Map<Path, FileOutcome> outcomes = new java.util.LinkedHashMap<>();
    List<Path> pending = new ArrayList<>(files);
    long done = 0;
    while (!pending.isEmpty()) {
      List<Path> retry = new ArrayList<>();
      Map<Path, IngestException> deferred = new java.util.LinkedHashMap<>();
      for (Path file : pending) {
        try {
          outcomes.put(file, loadOne(file));
          progress.accept(++done);
        } catch (IngestException e) {
          if (isCrossFileReference(e)) {
            retry.add(file);
            deferred.put(file, e);
          } else {
            outcomes.put(file, fail(file, e));
            progress.accept(++done);
          }
        }
      }
      if (retry.size() == pending.size()) {
        for (Map.Entry<Path, IngestException> d : deferred.entrySet()) {
          outcomes.put(d.getKey(), fail(d.getKey(), d.getValue()));
          progress.accept(++done);
        }
        break;
      }
      pending = retry;
    }
    List<FileOutcome> ordered = files.stream().map(outcomes::get).toList();
    return summarise(ordered, (System.nanoTime() - start) / 1e9);
  }

  private FileOutcome loadOne(Path file) throws IOException {
    String label = file.getFileName().toString();
    byte[] content = Files.readAllBytes(file);
    String sha = sha256(content);
    if (node.store().hasFile(sha)) {
      return new Skipped(label, ALREADY_LOADED);
    }
    IngestContext context =
        new IngestContext(
            node.pseudonymizer(),
            node.config().birthPrecision(),
            node.store().knownRecords(),
            mapping);
    IngestBatch batch = SourceReader.read(label, content, context);
    WriteResult result = node.store().write(label, sha, batch);
    return switch (result) {
      case WriteResult.AlreadyLoaded a -> new Skipped(label, ALREADY_LOADED);
      case WriteResult.Loaded l -> new Loaded(label, batch.sourceCounts(), byName(l.inserted()));
    };
  }

  private FileOutcome fail(Path file, IngestException e) {
    if (!continueOnError) {
      throw e;
    }
    return new Failed(file.getFileName().toString(), e.code(), e.getMessage());
  }

  private static boolean isCrossFileReference(IngestException e) {
    return e.code().equals("ingest.bundle.invalid-reference")
        || e.code().equals("ingest.hl7.unknown-patient");
  }

  private static Summary summarise(List<FileOutcome> files, double seconds) {
    SortedMap<String, Integer> resources = new TreeMap<>();
    Map<String, Integer> rows = new java.util.LinkedHashMap<>();
    for (AnalyticTable t : AnalyticTable.values()) {
      rows.put(t.tableName(), 0);
    }
    for (FileOutcome f : files) {
      if (f instanceof Loaded l) {
        l.resources().forEach((k, v) -> resources.merge(k, v, Integer::sum));
        l.rowsInserted().forEach((k, v) -> rows.merge(k, v, Integer::sum));
      }
    }
    long count = resources.values().stream().mapToLong(Integer::longValue).sum();
    return new Summary(files, resources, rows, count, seconds);
  }

  private static Map<String, Integer> byName(Map<AnalyticTable, Integer> inserted) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (AnalyticTable t : AnalyticTable.values()) {
      out.put(t.tableName(), inserted.getOrDefault(t, 0));
    }
    return out;
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
