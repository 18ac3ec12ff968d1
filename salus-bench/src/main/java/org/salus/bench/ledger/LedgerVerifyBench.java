package org.salus.bench.ledger;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.store.ledger.CheckpointStore;
import org.salus.store.ledger.LedgerAppender;
import org.salus.store.ledger.LedgerVerifier;
import org.salus.store.ledger.VerifyReport;

/** Full verification of a 1,000,000-entry DuckDB ledger: every leaf, node and checkpoint. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LedgerVerifyBench {

  @Param("1000000")
  public int size;

  private Connection connection;
  private NoteSigner log;

  @Setup(Level.Trial)
  public void build() throws Exception {
    var dir = Files.createTempDirectory("ledger-verify-bench");
    connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("node.duckdb"));
    LedgerFixtures.migrate(connection);
    log = NoteSigner.generate("bench.example/ledger", KeyType.ED25519, new SecureRandom());
    CheckpointStore checkpoints = new CheckpointStore(connection);
    try (LedgerAppender a = LedgerAppender.open(connection)) {
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        batch.add(LedgerFixtures.entry(i));
        if (batch.size() == 8192 || i == size - 1) {
          a.appendAll(batch);
          batch.clear();
          checkpoints.publish(a.head(), log, Instant.now());
        }
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    connection.close();
  }

  @Benchmark
  public VerifyReport verifyAll() {
    VerifyReport r = LedgerVerifier.verify(connection, log.verifierKey(), List.of());
    if (!r.ok() || r.entries() != size) {
      throw new IllegalStateException("verification failed: " + r);
    }
    return r;
  }
}
