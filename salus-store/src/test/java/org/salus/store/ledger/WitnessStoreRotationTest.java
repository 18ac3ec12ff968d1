package org.salus.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.ledger.merkle.MemoryHashStore;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.proof.ProofFile;

/**
 * A witness's accepted key rotations per origin ({@code V8__witness_key_rotations.sql}), in log
 * order, with the handover as the latest cosigned checkpoint, on DuckDB and PostgreSQL.
 */
class WitnessStoreRotationTest {

  static final String V8 = "V8__witness_key_rotations.sql";

  @TempDir Path tmp;

  @Test
  void rotationsAreKeptPerOriginInLogOrderOnDuckdb() throws Exception {
    try (Connection c = Databases.duckdb(tmp.resolve("w.duckdb"))) {
      check(c);
    }
  }

  @Test
  void rotationsAreKeptPerOriginInLogOrderOnPostgresql() throws Exception {
    try (Connection c = Databases.postgres()) {
      check(c);
    }
  }

  private static void check(Connection c) throws Exception {
    LedgerMigration.apply(c, LedgerMigration.LEDGER);
    LedgerMigration.apply(c, V8);
    NoteSigner key = NoteSigner.generate("salus.node/a", KeyType.ED25519, new SecureRandom());
    MemoryHashStore log = new MemoryHashStore();
    for (int i = 0; i < 9; i++) {
      log.append(TreeHasher.leafHash(("e" + i).getBytes(StandardCharsets.UTF_8)));
    }
    ProofFile late = proof(log, 7, key);
    ProofFile early = proof(log, 2, key);
    WitnessStore store = new WitnessStore(c);

    store.saveRotation("salus.node/a", late, late.checkpoint());
    store.saveRotation("salus.node/a", early, early.checkpoint());

    assertThat(store.rotations("salus.node/a")).containsExactly(early, late);
    assertThat(store.rotations("salus.node/b")).isEmpty();
    assertThat(store.latest("salus.node/a")).contains(early.checkpoint());
    assertThatThrownBy(() -> store.saveRotation("salus.node/a", late, late.checkpoint()))
        .isInstanceOf(LedgerStoreException.class)
        .hasFieldOrPropertyWithValue("code", "ledger.store.write-failed");
  }

  private static ProofFile proof(MemoryHashStore log, long index, NoteSigner key) {
    ProofBuilder b = new ProofBuilder(log);
    return new ProofFile(
        ("e" + index).getBytes(StandardCharsets.UTF_8),
        index,
        b.inclusion(index, index + 1).hashes(),
        SignedCheckpoint.sign(new Checkpoint("salus.node/a", index + 1, b.root(index + 1)), key));
  }
}
