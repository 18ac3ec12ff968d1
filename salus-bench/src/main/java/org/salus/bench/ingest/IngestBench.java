package org.salus.bench.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.salus.core.record.IngestBatch;
import org.salus.fhir.ingest.IngestContext;
import org.salus.fhir.ingest.SourceReader;
import org.salus.store.Database;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeOptions;

/**
 * The whole ingest path on one thread: read a Synthea bundle, map it, pseudonymise, encrypt the
 * sources and commit it into a fresh node. Reports FHIR resources per second (the {@code resources}
 * counter) into the embedded DuckDB store or PostgreSQL ({@code -p store=postgresql}, server from
 * {@code -Dsalus.bench.postgres}, default 127.0.0.1:5432/test).
 *
 * <p>The bundle is {@code -Dsalus.bench.bundle=FILE}, by default the first patient of the
 * population the tests cache under {@code target/test-population/seed-42-n-4}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class IngestBench {

  @Param({"duckdb", "postgresql"})
  public String store;

  private byte[] bundle;
  private String name;
  private Path dir;
  private Node node;
  private String sha;

  /** Counts resources committed, so JMH reports resources per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Resources {
    public long resources;

    @Setup(Level.Iteration)
    public void reset() {
      resources = 0;
    }
  }

  @Setup(Level.Trial)
  public void load() throws IOException {
    String home = System.getProperty("salus.home", ".");
    Path file =
        Path.of(
            System.getProperty(
                "salus.bench.bundle",
                home + "/target/test-population/seed-42-n-4/patient-0001.json"));
    bundle = Files.readAllBytes(file);
    name = file.getFileName().toString();
    sha = sha(bundle);
  }

  /** A fresh node per call (not timed), so the bundle always lands as new rows. */
  @Setup(Level.Invocation)
  public void newNode() throws IOException {
    dir = Files.createTempDirectory("salus-ingest-bench-");
    NodeOptions options = NodeOptions.defaults("bench");
    if (store.equals("postgresql")) {
      options =
          options.withJdbcUrl(
              System.getProperty(
                  "salus.bench.postgres", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
    }
    node = NodeDirectory.init(dir.resolve("node"), options);
  }

  @TearDown(Level.Invocation)
  public void dropNode() throws IOException {
    if (node.store().database() instanceof Database.Postgres pg) {
      pg.dropSchema();
    }
    node.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One bundle into an empty node, committed. */
  @Benchmark
  public Object ingestBundle(Resources counter) {
    IngestContext context =
        IngestContext.of(
            node.pseudonymizer(), node.config().birthPrecision(), node.store().knownRecords());
    IngestBatch batch = SourceReader.read(name, bundle, context);
    Object result = node.store().write(name, sha, batch);
    batch.sourceCounts().values().forEach(n -> counter.resources += n);
    return result;
  }

  private static String sha(byte[] content) {
    try {
      return HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
