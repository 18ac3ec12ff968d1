package org.salus.bench.ledger;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.salus.core.ledger.merkle.InclusionProof;
import org.salus.store.ledger.LedgerAppender;
import org.salus.store.ledger.LedgerProofs;

/** Inclusion proofs read from a DuckDB ledger (strided node layout). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoredProofBench {

  @Param("1000000")
  public int size;

  private Connection connection;
  private LedgerProofs proofs;
  private final SplittableRandom random = new SplittableRandom(7);

  @Setup(Level.Trial)
  public void build() throws Exception {
    var dir = Files.createTempDirectory("ledger-proof-bench");
    connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("node.duckdb"));
    LedgerFixtures.migrate(connection);
    try (LedgerAppender a = LedgerAppender.open(connection)) {
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        batch.add(LedgerFixtures.entry(i));
        if (batch.size() == 8192 || i == size - 1) {
          a.appendAll(batch);
          batch.clear();
        }
      }
    }
    proofs = new LedgerProofs(connection);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    proofs.close();
    connection.close();
  }

  @Benchmark
  public InclusionProof inclusionProof() {
    return proofs.inclusion(random.nextLong(size), size);
  }
}
