package org.salus.bench.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.salus.store.ledger.LedgerAppender;

/**
 * Durable appends per second into an embedded DuckDB file: each append returns only after its
 * transaction committed. {@code batchOf1000}: one caller appending 1000 entries per commit; {@code
 * groupCommit}: 32 threads appending one entry each, batched by the appender's group commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LedgerAppendBench {

  private Path dir;
  private Connection connection;
  private LedgerAppender appender;
  private final AtomicLong next = new AtomicLong();
  private List<byte[]> batch;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = Files.createTempDirectory("ledger-bench");
    connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("node.duckdb"));
    LedgerFixtures.migrate(connection);
    appender = LedgerAppender.open(connection);
    batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      batch.add(LedgerFixtures.entry(i));
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    appender.close();
    connection.close();
  }

  @Benchmark
  @OperationsPerInvocation(1000)
  public long batchOf1000() {
    return appender.appendAll(batch);
  }

  @Benchmark
  @Threads(32)
  public long groupCommit() {
    return appender.append(LedgerFixtures.entry(next.incrementAndGet()));
  }
}
