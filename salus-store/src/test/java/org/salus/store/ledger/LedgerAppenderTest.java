package org.salus.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.ledger.merkle.CompactTree;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.ProofVerifier;
import org.salus.core.ledger.merkle.TreeHasher;

class LedgerAppenderTest {

  @TempDir Path dir;

  static byte[] entry(long i) {
    return ("entry-" + i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void concurrentAppendsGetDistinctIndicesAndSurviveReopening() throws Exception {
    Path db = dir.resolve("node.duckdb");
    try (Connection c = Databases.duckdb(db)) {
      LedgerMigration.apply(c);
    }
    List<Long> indices = Collections.synchronizedList(new ArrayList<>());
    try (Connection c = Databases.duckdb(db);
        LedgerAppender appender = LedgerAppender.open(c)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    indices.add(appender.append(entry(thread * 1000L + i)));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      assertThat(appender.head().size()).isEqualTo(800);
    }
    assertThat(indices).doesNotHaveDuplicates().hasSize(800).allMatch(i -> i >= 0 && i < 800);

    try (Connection c = Databases.duckdb(db);
        LedgerAppender appender = LedgerAppender.open(c)) {
      assertThat(appender.head().size()).isEqualTo(800);
      long next = appender.appendAll(List.of(entry(-1), entry(-2)));
      assertThat(next).isEqualTo(800);
      assertStoredTreeMatchesEntries(c, 802);
    }
  }

  @Test
  void postgresqlKeepsTheSameTree() throws Exception {
    try (Connection c = Databases.postgres()) {
      LedgerMigration.apply(c);
      try (LedgerAppender appender = LedgerAppender.open(c)) {
        for (int i = 0; i < 37; i++) {
          appender.append(entry(i));
        }
        appender.appendAll(List.of(entry(100), entry(101), entry(102)));
        c.setAutoCommit(true);
        new CheckpointStore(c)
            .publish(appender.head(), LedgerVerifierTest.LOG, LedgerVerifierTest.NOW);
      }
      assertStoredTreeMatchesEntries(c, 40);
      VerifyReport report = LedgerVerifierTest.verify(c);
      assertThat(report.firstInconsistency()).isEmpty();
      assertThat(report.checkpoints()).isEqualTo(1);
    }
  }

  /** The stored nodes give the same roots and valid proofs as a tree rebuilt from the entries. */
  static void assertStoredTreeMatchesEntries(Connection c, long size) throws Exception {
    CompactTree rebuilt = new CompactTree();
    try (var s = c.createStatement();
        var r = s.executeQuery("SELECT idx, entry FROM ledger_entry ORDER BY idx")) {
      while (r.next()) {
        assertThat(r.getLong(1)).isEqualTo(rebuilt.size());
        rebuilt.append(TreeHasher.leafHash(r.getBytes(2)));
      }
    }
    assertThat(rebuilt.size()).isEqualTo(size);
    try (JdbcHashSource source = new JdbcHashSource(c)) {
      ProofBuilder proofs = new ProofBuilder(source);
      assertThat(proofs.root(size)).isEqualTo(rebuilt.root());
      for (long i = 0; i < size; i += Math.max(1, size / 17)) {
        ProofVerifier.verifyInclusion(proofs.inclusion(i, size), source.node(0, i), rebuilt.root());
      }
    }
  }
}
