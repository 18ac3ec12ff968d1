package org.salus.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.Cosignatures;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;
import org.salus.core.ledger.proof.VerifiedEntry;

class LedgerVerifierTest {

  static final SecureRandom RANDOM = new SecureRandom();
  static final NoteSigner LOG = NoteSigner.generate("node-a.example", KeyType.ED25519, RANDOM);
  static final NoteSigner WITNESS =
      NoteSigner.generate("node-b.example", KeyType.COSIGNATURE_V1, RANDOM);
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  /** An in-memory ledger of {@code size} entries with cosigned checkpoints at size/2 and size. */
  static Connection ledger(int size) throws Exception {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    LedgerMigration.apply(c);
    CheckpointStore checkpoints = new CheckpointStore(c);
    try (LedgerAppender a = LedgerAppender.open(c)) {
      for (int i = 0; i < size; i++) {
        a.append(LedgerAppenderTest.entry(i));
        if (i + 1 == size / 2 || i + 1 == size) {
          SignedCheckpoint cp = checkpoints.publish(a.head(), LOG, NOW);
          NoteSignature cosig = Cosignatures.sign(cp.checkpoint(), NOW.getEpochSecond(), WITNESS);
          checkpoints.addCosignature(cp.checkpoint().size(), cosig, NOW);
        }
      }
    }
    c.setAutoCommit(true);
    return c;
  }

  static VerifyReport verify(Connection c) {
    return LedgerVerifier.verify(c, LOG.verifierKey(), List.of(WITNESS.verifierKey()));
  }

  @Test
  void anUntouchedLedgerVerifies() throws Exception {
    try (Connection c = ledger(100)) {
      VerifyReport r = verify(c);
      assertThat(r.firstInconsistency()).isEmpty();
      assertThat(r.entries()).isEqualTo(100);
      assertThat(r.checkpoints()).isEqualTo(2);
      assertThat(r.cosignatures()).isEqualTo(2);
      assertThat(r.ok()).isTrue();
    }
  }

  enum Mutation {
    CHANGE_ENTRY,
    CHANGE_ENTRY_AND_LEAF,
    SWAP,
    DELETE,
    INSERT,
    TRUNCATE,
    FORGE_COSIGNATURE
  }

  @Property(tries = 40)
  void anyChangeReorderInsertionOrTruncationIsDetected(
      @ForAll Mutation mutation,
      @ForAll @IntRange(min = 4, max = 60) int size,
      @ForAll @IntRange(min = 0, max = 59) int rawIndex)
      throws Exception {
    int index = rawIndex % (size - 1);
    try (Connection c = ledger(size)) {
      switch (mutation) {
        case CHANGE_ENTRY ->
            sql(c, "UPDATE ledger_entry SET entry = ? WHERE idx = ?", bytes("x"), index);
        case CHANGE_ENTRY_AND_LEAF -> {
          sql(
              c,
              "UPDATE ledger_entry SET entry = ?, leaf_hash = ? WHERE idx = ?",
              bytes("x"),
              TreeHasher.leafHash(bytes("x")).toByteArray(),
              index);
        }
        case SWAP -> {
          sql(c, "UPDATE ledger_entry SET idx = -1 WHERE idx = ?", index);
          sql(c, "UPDATE ledger_entry SET idx = ? WHERE idx = ?", index, index + 1);
          sql(c, "UPDATE ledger_entry SET idx = ? WHERE idx = -1", index + 1);
        }
        case DELETE -> sql(c, "DELETE FROM ledger_entry WHERE idx = ?", index);
        case INSERT -> {
          for (long i = size - 1; i >= index; i--) {
            sql(c, "UPDATE ledger_entry SET idx = ? WHERE idx = ?", i + 1, i);
          }
          sql(
              c,
              "INSERT INTO ledger_entry VALUES (?, ?, ?)",
              index,
              TreeHasher.leafHash(bytes("x")).toByteArray(),
              bytes("x"));
        }
        case TRUNCATE -> sql(c, "DELETE FROM ledger_entry WHERE idx >= ?", index + 1);
        case FORGE_COSIGNATURE -> {
          var cp = new CheckpointStore(c).latest().orElseThrow();
          NoteSignature forged =
              Cosignatures.sign(
                  new org.salus.core.ledger.note.Checkpoint(
                      cp.checkpoint().origin(), cp.checkpoint().size() + 1, cp.checkpoint().root()),
                  NOW.getEpochSecond(),
                  WITNESS);
          sql(
              c,
              "UPDATE ledger_cosignature SET signature_line = ? WHERE tree_size = ?",
              forged.line(),
              cp.checkpoint().size());
        }
      }
      VerifyReport r = verify(c);
      assertThat(r.firstInconsistency()).as(mutation + " at " + index + " of " + size).isPresent();
      if (mutation == Mutation.FORGE_COSIGNATURE) {
        assertThat(r.firstInconsistency().get()).isInstanceOf(Inconsistency.BadCosignature.class);
      }
    }
  }

  @Test
  void entriesReadInWindowsVerifyAndGapsAcrossWindowsAreFound() throws Exception {
    try (Connection c = ledger(100)) {
      VerifyReport r = LedgerVerifier.verify(c, LOG.verifierKey(), List.of(), 16);
      assertThat(r.firstInconsistency()).isEmpty();
      assertThat(r.entries()).isEqualTo(100);
      // A whole window missing: the windows stop at 32, the rest query finds 48.
      sql(c, "DELETE FROM ledger_entry WHERE idx >= 32 AND idx < 48");
      assertThat(LedgerVerifier.verify(c, LOG.verifierKey(), List.of(), 16).firstInconsistency())
          .contains(new Inconsistency.EntryGap(32, 48));
    }
    try (Connection c = ledger(40)) {
      sql(c, "UPDATE ledger_entry SET idx = -5 WHERE idx = 39");
      assertThat(LedgerVerifier.verify(c, LOG.verifierKey(), List.of(), 16).firstInconsistency())
          .contains(new Inconsistency.EntryGap(39, -5));
      sql(c, "UPDATE ledger_entry SET idx = 1000 WHERE idx = -5");
      assertThat(LedgerVerifier.verify(c, LOG.verifierKey(), List.of(), 16).firstInconsistency())
          .contains(new Inconsistency.EntryGap(39, 1000));
    }
  }

  @Test
  void aChangedEntryIsReportedAtItsIndexWithBothHashes() throws Exception {
    try (Connection c = ledger(20)) {
      sql(c, "UPDATE ledger_entry SET entry = ? WHERE idx = ?", bytes("x"), 7);
      Inconsistency i = verify(c).firstInconsistency().orElseThrow();
      assertThat(i)
          .isEqualTo(
              new Inconsistency.LeafHashMismatch(
                  7,
                  TreeHasher.leafHash(LedgerAppenderTest.entry(7)),
                  TreeHasher.leafHash(bytes("x"))));
      assertThat(i.describe()).startsWith("entry 7: stored leaf hash");
    }
  }

  @Test
  void proofFilesRoundTripAndVerifyOffline() throws Exception {
    try (Connection c = ledger(33);
        LedgerProofs proofs = new LedgerProofs(c)) {
      ProofFile file = proofs.proofFile(12);
      ProofFile parsed = ProofFile.parse(file.encode());
      assertThat(parsed).isEqualTo(file);
      assertThat(file.encode()).startsWith("c2sp.org/tlog-proof@v1\nextra ");

      VerifiedEntry v =
          parsed.verify(new TrustPolicy(LOG.verifierKey(), List.of(WITNESS.verifierKey()), 1));
      assertThat(v.index()).isEqualTo(12);
      assertThat(v.entry()).isEqualTo(LedgerAppenderTest.entry(12));
      assertThat(v.witnesses()).containsExactly("node-b.example");

      ProofFile otherEntry =
          new ProofFile(LedgerAppenderTest.entry(13), 12, parsed.proof(), parsed.checkpoint());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> otherEntry.verify(new TrustPolicy(LOG.verifierKey(), List.of(), 0)))
          .hasMessageContaining("root");
      NoteSigner stranger = NoteSigner.generate("w2", KeyType.COSIGNATURE_V1, RANDOM);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  parsed.verify(
                      new TrustPolicy(LOG.verifierKey(), List.of(stranger.verifierKey()), 1)))
          .hasMessageContaining("0 trusted cosignatures");
    }
  }

  @Test
  void witnessedForksAreReported() throws Exception {
    try (Connection c = ledger(4)) {
      var cp = new CheckpointStore(c).latest().orElseThrow();
      var evidence =
          new org.salus.core.ledger.witness.ForkEvidence(
              cp, cp, Optional.empty(), Optional.empty());
      new WitnessStore(c).recordFork(evidence, NOW);
      assertThat(verify(c).forksWitnessed()).containsExactly(evidence.describe());
      assertThat(verify(c).ok()).isFalse();
    }
  }

  @Test
  void rowsTheDatabaseReturnsOutOfIndexOrderStillVerify() throws Exception {
    // PostgreSQL moves an updated row to the end of its heap: a scan then returns it last. The
    // verifier reads unsorted while rows come in order and must fall back to the sorted query.
    try (Connection c = Databases.postgres()) {
      LedgerMigration.apply(c);
      c.setAutoCommit(false);
      CheckpointStore checkpoints = new CheckpointStore(c);
      try (LedgerAppender a = LedgerAppender.open(c)) {
        for (int i = 0; i < 100; i++) {
          a.append(LedgerAppenderTest.entry(i));
        }
        checkpoints.publish(a.head(), LOG, NOW);
      }
      c.setAutoCommit(true);
      sql(c, "UPDATE ledger_entry SET entry = entry WHERE idx = 3");
      sql(c, "UPDATE ledger_tile SET hashes = hashes WHERE idx = 0");
      List<Long> tiles = new java.util.ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT idx FROM ledger_tile");
          java.sql.ResultSet r = s.executeQuery()) {
        while (r.next()) {
          tiles.add(r.getLong(1));
        }
      }
      assertThat(tiles)
          .as("the unsorted scan")
          .hasSize(6)
          .isNotEqualTo(List.of(0L, 1L, 2L, 3L, 4L, 5L));

      VerifyReport r = LedgerVerifier.verify(c, LOG.verifierKey(), List.of(), 16);
      assertThat(r.firstInconsistency()).isEmpty();
      assertThat(r.entries()).isEqualTo(100);
      sql(c, "DELETE FROM ledger_entry WHERE idx = 40");
      assertThat(LedgerVerifier.verify(c, LOG.verifierKey(), List.of(), 16).firstInconsistency())
          .contains(new Inconsistency.EntryGap(40, 41));
    }
  }

  /** A key-rotation entry naming {@code vkey}. */
  static byte[] rotation(String vkey) {
    return org.salus.core.ledger.event.EntryCodec.encode(
        new org.salus.core.ledger.event.LedgerEvent.KeyRotation(
            new org.salus.core.ledger.event.EventContext(
                NOW,
                org.salus.core.ledger.event.ActorId.ofCredential("node:a"),
                Optional.empty(),
                "HOPERAT",
                List.of("ledger-key"),
                Optional.empty()),
            vkey));
  }

  /**
   * 5 entries, a rotation to {@code next} at index 5, a handover checkpoint at 6 signed by LOG
   * (unless {@code handover} is false), 3 more entries and a checkpoint at 9 signed by {@code
   * signer}.
   */
  static Connection rotated(String vkey, boolean handover, NoteSigner signer) throws Exception {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    LedgerMigration.apply(c);
    CheckpointStore checkpoints = new CheckpointStore(c);
    try (LedgerAppender a = LedgerAppender.open(c)) {
      for (int i = 0; i < 5; i++) {
        a.append(LedgerAppenderTest.entry(i));
      }
      a.append(rotation(vkey));
      if (handover) {
        checkpoints.publish(a.head(), LOG, NOW);
      }
      for (int i = 6; i < 9; i++) {
        a.append(LedgerAppenderTest.entry(i));
      }
      checkpoints.publish(a.head(), signer, NOW);
    }
    c.setAutoCommit(true);
    return c;
  }

  @Test
  void checkpointsAfterAHandoverAreCheckedWithTheRotatedKey() throws Exception {
    NoteSigner next = NoteSigner.generate(LOG.verifierKey().name(), KeyType.ED25519, RANDOM);
    String vkey = next.verifierKey().encode();
    try (Connection c = rotated(vkey, true, next)) {
      VerifyReport r = verify(c);
      assertThat(r.firstInconsistency()).isEmpty();
      assertThat(r.checkpoints()).isEqualTo(2);
      assertThat(r.logKeys())
          .containsExactly(
              new org.salus.core.ledger.proof.KeyChain.Period(0, LOG.verifierKey()),
              new org.salus.core.ledger.proof.KeyChain.Period(7, next.verifierKey()));
    }
    try (Connection c = rotated(vkey, true, LOG)) {
      assertThat(verify(c).firstInconsistency())
          .contains(
              new Inconsistency.WrongCheckpointKey(
                  9, next.verifierKey().keyIdHex(), 7, LOG.verifierKey().keyIdHex()));
    }
    try (Connection c = rotated(vkey, false, next)) {
      assertThat(verify(c).firstInconsistency())
          .contains(new Inconsistency.RotationWithoutCheckpoint(5, next.verifierKey().keyIdHex()));
    }
    // A key the log never named, under the log's name.
    NoteSigner impostor = NoteSigner.generate("node-a.example", KeyType.ED25519, RANDOM);
    try (Connection c = rotated(vkey, true, impostor)) {
      assertThat(verify(c).firstInconsistency().orElseThrow())
          .isInstanceOf(Inconsistency.WrongCheckpointKey.class);
    }
  }

  @Test
  void aRotationToAKeyOfAnotherLogOrToTheSameKeyIsReported() throws Exception {
    NoteSigner other = NoteSigner.generate("node-z.example", KeyType.ED25519, RANDOM);
    NoteSigner cosigner =
        NoteSigner.generate(LOG.verifierKey().name(), KeyType.COSIGNATURE_V1, RANDOM);
    for (String vkey :
        List.of(
            other.verifierKey().encode(),
            cosigner.verifierKey().encode(),
            LOG.verifierKey().encode(),
            "not a key")) {
      try (Connection c = rotated(vkey, true, LOG)) {
        Inconsistency i = verify(c).firstInconsistency().orElseThrow();
        assertThat(i).as(vkey).isInstanceOf(Inconsistency.BadKeyRotation.class);
        assertThat(((Inconsistency.BadKeyRotation) i).index()).isEqualTo(5);
      }
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static void sql(Connection c, String sql, Object... args) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }
}
