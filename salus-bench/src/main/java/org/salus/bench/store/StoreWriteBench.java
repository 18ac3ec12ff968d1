package org.salus.bench.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.salus.core.keys.SecretBytes;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.Code;
import org.salus.core.record.ConditionOccurrence;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Person;
import org.salus.core.record.Sex;
import org.salus.core.record.SourceDocument;
import org.salus.core.record.VisitOccurrence;
import org.salus.store.Database;
import org.salus.store.NodeStore;
import org.salus.store.WriteResult;

/**
 * Rows per second written into the embedded DuckDB store, in batches shaped like one Synthea
 * patient file (1 person, 20 visits, 10 conditions, 169 measurements: 200 rows), with or without an
 * encrypted source document (~600 bytes) per row. Every invocation writes new record keys, so
 * nothing is skipped as already present; the database grows across the iteration.
 *
 * <p>Run: {@code java -cp 'salus-bench/target/classes:salus-bench/target/lib/*'
 * org.openjdk.jmh.Main StoreWriteBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StoreWriteBench {

  static final int ROWS = 200;
  private static final String SOURCE =
      "{\"resourceType\":\"Observation\"," + "\"x\":\"y\",".repeat(50) + "}";

  @Param({"true", "false"})
  boolean withSources;

  private Path dir;
  private NodeStore store;
  private long batchNo;

  @Setup(Level.Iteration)
  public void open() throws IOException {
    dir = Files.createTempDirectory("salus-bench-store");
    store =
        NodeStore.open(
            new Database.DuckDb(dir.resolve("node.duckdb")),
            SecretBytes.random(32, new SecureRandom()));
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One file of one patient: 200 rows, one commit. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public WriteResult writePatientFile() {
    long n = batchNo++;
    return store.write("bench", "%064x".formatted(n), batch(n, withSources));
  }

  /** One file of ten patients (an NDJSON export chunk, a large bundle): 2,000 rows, one commit. */
  @Benchmark
  @OperationsPerInvocation(ROWS * 10)
  public WriteResult writeTenPatientFile() {
    long n = batchNo++;
    List<ClinicalRecord> records = new ArrayList<>();
    List<SourceDocument> sources = new ArrayList<>();
    for (int p = 0; p < 10; p++) {
      IngestBatch b = batch(n * 10 + p, withSources);
      records.addAll(b.records());
      sources.addAll(b.sources());
    }
    return store.write(
        "bench", "%064x".formatted(n), new IngestBatch(records, sources, new TreeMap<>()));
  }

  public static IngestBatch batch(long n, boolean withSources) {
    String pk = "person-" + n;
    List<ClinicalRecord> records = new ArrayList<>(ROWS);
    records.add(
        new Person(
            pk, pk, Sex.FEMALE, LocalDate.of(1950 + (int) (n % 50), 1, 1), BirthPrecision.MONTH));
    LocalDateTime t = LocalDateTime.of(2020, 1, 1, 8, 0);
    for (int v = 0; v < 20; v++) {
      records.add(
          new VisitOccurrence(
              pk + "/v" + v,
              pk,
              "AMB",
              Optional.of(new Code(Code.SNOMED, "185349003")),
              t.plusDays(v * 30L),
              Optional.of(t.plusDays(v * 30L).plusHours(1))));
    }
    for (int c = 0; c < 10; c++) {
      records.add(
          new ConditionOccurrence(
              pk + "/c" + c,
              pk,
              Optional.of(pk + "/v" + c),
              new Code(Code.SNOMED, "4405400" + c),
              LocalDate.of(2020, 1, 1).plusDays(c * 30L),
              Optional.empty()));
    }
    for (int m = records.size(); m < ROWS; m++) {
      records.add(
          new org.salus.core.record.Measurement(
              pk + "/m" + m,
              pk,
              Optional.of(pk + "/v" + (m % 20)),
              new Code(Code.LOINC, "4548-4"),
              t.plusDays(m),
              Optional.of(5.0 + m % 30 / 10.0),
              Optional.of("%"),
              Optional.empty()));
    }
    List<SourceDocument> sources = new ArrayList<>();
    if (withSources) {
      byte[] content = SOURCE.getBytes(StandardCharsets.UTF_8);
      for (ClinicalRecord r : records) {
        sources.add(new SourceDocument("Observation", r.recordKey(), pk, content));
      }
    }
    return new IngestBatch(records, sources, new TreeMap<>());
  }
}
