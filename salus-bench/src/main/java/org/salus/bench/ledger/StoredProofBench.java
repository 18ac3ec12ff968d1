package org.salus.bench.ledger;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
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
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.InclusionProof;
import org.salus.core.ledger.merkle.ProofVerifier;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.store.ledger.LedgerProofs;

/**
 * Inclusion proofs read from a DuckDB ledger file: upper levels cached in memory, the leaf tile of
 * each proof read by primary key. The ledger is filled in bulk ({@link LedgerFixtures#bulkFill},
 * the rows the appender would write) so that ten million entries take minutes, not an hour: run
 * with {@code -p size=10000000} for the target.
 */
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
    Hash root = LedgerFixtures.bulkFill(connection, size);
    proofs = new LedgerProofs(connection);
    // The bulk rows must be the appender's: same root, and proofs that verify.
    if (!proofs.root(size).equals(root)) {
      throw new IllegalStateException("stored root differs from the bulk-filled tree's");
    }
    long probe = size / 3;
    ProofVerifier.verifyInclusion(
        proofs.inclusion(probe, size), TreeHasher.leafHash(proofs.entry(probe)), root);
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
