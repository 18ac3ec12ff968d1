package org.salus.bench.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.salus.core.keys.SecretBytes;
import org.salus.core.pseudonym.Pseudonymizer;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.KnownRecords;
import org.salus.fhir.ingest.IngestContext;
import org.salus.fhir.ingest.SourceReader;

/**
 * Reading and mapping a Synthea transaction bundle (no store): FHIR resources per second on one
 * thread. The bundle is {@code -Dsalus.bench.bundle=FILE}, by default the first patient of the
 * population the tests cache ({@code target/test-population/seed-42-n-4}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class FhirParseBench {

  private byte[] bundle;
  private String name;
  private IngestContext context;

  /** Counts resources mapped, so JMH reports resources per second beside bundles per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Resources {
    public long resources;

    @Setup(Level.Iteration)
    public void reset() {
      resources = 0;
    }
  }

  @Setup
  public void load() throws IOException {
    Path file =
        Path.of(
            System.getProperty(
                "salus.bench.bundle",
                System.getProperty("salus.home", ".")
                    + "/target/test-population/seed-42-n-4/patient-0001.json"));
    bundle = Files.readAllBytes(file);
    name = file.getFileName().toString();
    byte[] secret = new byte[32];
    secret[0] = 1;
    context =
        IngestContext.of(
            new Pseudonymizer(SecretBytes.copyOf(secret)),
            BirthPrecision.MONTH,
            KnownRecords.none());
  }

  /** Control: HAPI FHIR parsing the whole bundle, mapping nothing. */
  @Benchmark
  public Object hapiParseOnly(Resources counter) {
    org.hl7.fhir.r4.model.Bundle b =
        HAPI.newJsonParser()
            .parseResource(
                org.hl7.fhir.r4.model.Bundle.class,
                new String(bundle, java.nio.charset.StandardCharsets.UTF_8));
    counter.resources += b.getEntry().size();
    return b;
  }

  private static final ca.uhn.fhir.context.FhirContext HAPI =
      ca.uhn.fhir.context.FhirContext.forR4();

  @Benchmark
  public IngestBatch readBundle(Resources counter) {
    IngestBatch batch = SourceReader.read(name, bundle, context);
    counter.resources += batch.sourceCounts().values().stream().mapToInt(Integer::intValue).sum();
    return batch;
  }
}
