package org.salus.bench.ledger;

import java.nio.ByteBuffer;
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
import org.salus.core.ledger.merkle.InclusionProof;
import org.salus.core.ledger.merkle.MemoryHashStore;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.TreeHasher;

/**
 * Inclusion proof generation at 10,000,000 entries, from the stored-subtree layout held in memory
 * ({@link MemoryHashStore}; building the 10M-entry DuckDB store takes minutes on the bench
 * machine). Each proof makes at most about 2 log2(n) node reads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InclusionProofBench {

  @Param("10000000")
  public int size;

  private ProofBuilder builder;
  private final SplittableRandom random = new SplittableRandom(42);

  @Setup(Level.Trial)
  public void build() {
    MemoryHashStore store = new MemoryHashStore();
    ByteBuffer b = ByteBuffer.allocate(8);
    for (long i = 0; i < size; i++) {
      store.append(TreeHasher.leafHash(b.clear().putLong(i).array()));
    }
    builder = new ProofBuilder(store);
  }

  @Benchmark
  public InclusionProof inclusionProof() {
    return builder.inclusion(random.nextLong(size), size);
  }
}
