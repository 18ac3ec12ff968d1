package org.salus.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.MemoryHashStore;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.ProofVerifier;
import org.salus.core.ledger.merkle.TreeHasher;

/** Leaf tiles ({@code V5__ledger_tiles}): written with the entries, filled in for older logs. */
class LedgerTilesTest {

  @Test
  void theAppenderWritesOneTilePerSixteenEntriesAcrossBatches() throws Exception {
    try (Connection c = LedgerVerifierTest.ledger(0)) {
      c.setAutoCommit(false);
      try (LedgerAppender a = LedgerAppender.open(c)) {
        // Batches that start and end inside tiles.
        for (int i = 0; i < 101; ) {
          List<byte[]> batch = new ArrayList<>();
          for (int k = 0; k < 7 && i < 101; k++, i++) {
            batch.add(LedgerAppenderTest.entry(i));
          }
          a.appendAll(batch);
        }
      }
      assertTilesMatchEntries(c, 101);
      // Reopening restores the partial tile (entries 96..100) and completes it correctly.
      try (LedgerAppender a = LedgerAppender.open(c)) {
        for (int i = 101; i < 130; i++) {
          a.append(LedgerAppenderTest.entry(i));
        }
      }
      assertTilesMatchEntries(c, 130);
    }
  }

  @Test
  void aLedgerFromBeforeTilesKeepsItsProofsAndGetsItsTilesOnOpen() throws Exception {
    try (Connection c = LedgerVerifierTest.ledger(300)) {
      migrateAsIfOld(c);
      assertMigratesAndProves(c, 300);
    }
  }

  @Test
  void aPostgresqlLedgerFromBeforeTilesMigratesToo() throws Exception {
    try (Connection c = Databases.postgres()) {
      LedgerMigration.apply(c);
      c.setAutoCommit(false);
      try (LedgerAppender a = LedgerAppender.open(c)) {
        for (int i = 0; i < 75; i++) {
          a.append(LedgerAppenderTest.entry(i));
        }
      }
      c.setAutoCommit(true);
      migrateAsIfOld(c);
      assertMigratesAndProves(c, 75);
    }
  }

  @Test
  void aDeletedTileIsReadFromTheEntriesAndWrittenAgainOnOpen() throws Exception {
    try (Connection c = LedgerVerifierTest.ledger(100)) {
      LedgerVerifierTest.sql(c, "DELETE FROM ledger_tile WHERE idx = 2");
      assertThat(LedgerVerifierTest.verify(c).firstInconsistency()).isEmpty();
      assertProofsMatchEntries(c, 100);
      c.setAutoCommit(false);
      LedgerAppender.open(c).close();
      assertTilesMatchEntries(c, 100);
    }
  }

  @Test
  void aChangedTileIsReportedByVerification() throws Exception {
    try (Connection c = LedgerVerifierTest.ledger(100)) {
      byte[] forged = tile(c, 3);
      forged[5 * Hash.SIZE] ^= 1;
      LedgerVerifierTest.sql(c, "UPDATE ledger_tile SET hashes = ? WHERE idx = 3", forged);
      Inconsistency i = LedgerVerifierTest.verify(c).firstInconsistency().orElseThrow();
      assertThat(i).isEqualTo(new Inconsistency.TileMismatch(3));
      assertThat(i.describe()).contains("entries 48..63");
    }
  }

  @Test
  void aTileBeyondTheEntriesIsReportedAndStopsTheAppender() throws Exception {
    try (Connection c = LedgerVerifierTest.ledger(100)) {
      LedgerVerifierTest.sql(
          c, "INSERT INTO ledger_tile VALUES (?, ?)", 6L, new byte[LeafTiles.BYTES]);
      assertThat(LedgerVerifierTest.verify(c).firstInconsistency())
          .contains(new Inconsistency.TileBeyondLog(6, 100));
      c.setAutoCommit(false);
      assertThatThrownBy(() -> LedgerAppender.open(c))
          .isInstanceOf(LedgerStoreException.class)
          .hasMessageContaining("tile 6");
    }
  }

  /** Turns a current ledger into one written before V5: no tiles, then the V5 migration. */
  private static void migrateAsIfOld(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE ledger_tile");
    }
    LedgerMigration.apply(c, LedgerMigration.TILES);
    assertThat(count(c)).isZero();
  }

  private static void assertMigratesAndProves(Connection c, long size) throws Exception {
    // Before the appender opens, proofs read the leaves from the entries.
    assertProofsMatchEntries(c, size);
    assertThat(LedgerVerifierTest.verify(c).firstInconsistency()).isEmpty();
    c.setAutoCommit(false);
    try (LedgerAppender a = LedgerAppender.open(c)) {
      assertThat(a.head().size()).isEqualTo(size);
    }
    assertThat(count(c)).isEqualTo(size / LeafTiles.WIDTH);
    assertTilesMatchEntries(c, size);
    assertProofsMatchEntries(c, size);
    c.setAutoCommit(true);
    assertThat(LedgerVerifierTest.verify(c).firstInconsistency()).isEmpty();
  }

  private static List<Hash> leaves(Connection c) throws Exception {
    List<Hash> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT idx, entry FROM ledger_entry ORDER BY idx")) {
      while (r.next()) {
        assertThat(r.getLong(1)).isEqualTo(out.size());
        out.add(TreeHasher.leafHash(r.getBytes(2)));
      }
    }
    return out;
  }

  private static void assertTilesMatchEntries(Connection c, long size) throws Exception {
    List<Hash> leaves = leaves(c);
    assertThat(leaves).hasSize((int) size);
    assertThat(count(c)).isEqualTo(size / LeafTiles.WIDTH);
    for (int t = 0; t < size / LeafTiles.WIDTH; t++) {
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      for (int i = 0; i < LeafTiles.WIDTH; i++) {
        expected.writeBytes(leaves.get(t * LeafTiles.WIDTH + i).toByteArray());
      }
      assertThat(tile(c, t)).as("tile " + t).isEqualTo(expected.toByteArray());
    }
  }

  /** Every proof served equals the in-memory tree's, and verifies against its root. */
  private static void assertProofsMatchEntries(Connection c, long size) throws Exception {
    MemoryHashStore reference = new MemoryHashStore();
    leaves(c).forEach(reference::append);
    ProofBuilder expected = new ProofBuilder(reference);
    try (LedgerProofs proofs = new LedgerProofs(c)) {
      for (long n : new long[] {size, size - 3, size / 2 + 1}) {
        for (long i = 0; i < n; i += 7) {
          var p = proofs.inclusion(i, n);
          assertThat(p).isEqualTo(expected.inclusion(i, n));
          ProofVerifier.verifyInclusion(p, reference.node(0, i), expected.root(n));
        }
        assertThat(proofs.root(n)).isEqualTo(expected.root(n));
      }
      assertThat(proofs.consistency(size / 3, size))
          .isEqualTo(expected.consistency(size / 3, size));
    }
  }

  private static long count(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM ledger_tile")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static byte[] tile(Connection c, long t) throws Exception {
    try (PreparedStatement s = c.prepareStatement("SELECT hashes FROM ledger_tile WHERE idx = ?")) {
      s.setLong(1, t);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).as("tile " + t + " stored").isTrue();
        return r.getBytes(1);
      }
    }
  }
}
