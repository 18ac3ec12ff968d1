package org.salus.store.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.merkle.MemoryHashStore;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.witness.CheckpointWitness;
import org.salus.core.ledger.witness.WitnessOutcome;

class LedgerProofsTest {

  @Test
  void proofsStayRightWhenTheLogGrowsAfterTheCacheWasLoaded() throws Exception {
    try (Connection c = LedgerVerifierTest.ledger(40);
        LedgerProofs proofs = new LedgerProofs(c)) {
      MemoryHashStore reference = new MemoryHashStore();
      for (int i = 0; i < 40; i++) {
        reference.append(TreeHasher.leafHash(LedgerAppenderTest.entry(i)));
      }
      c.setAutoCommit(false);
      try (LedgerAppender a = LedgerAppender.open(c)) {
        for (int i = 40; i < 300; i++) {
          a.append(LedgerAppenderTest.entry(i));
          reference.append(TreeHasher.leafHash(LedgerAppenderTest.entry(i)));
        }
      }
      ProofBuilder expected = new ProofBuilder(reference);
      for (long i = 0; i < 300; i += 13) {
        assertThat(proofs.inclusion(i, 300)).isEqualTo(expected.inclusion(i, 300));
      }
      assertThat(proofs.consistency(40, 300)).isEqualTo(expected.consistency(40, 300));
      assertThat(proofs.root(300)).isEqualTo(reference.root());
    }
  }

  @Test
  void aWitnessRestoredFromItsStoreContinuesWhereItStopped() throws Exception {
    try (Connection log = LedgerVerifierTest.ledger(20);
        Connection node = LedgerVerifierTest.ledger(1)) {
      var cp = new CheckpointStore(log).latest().orElseThrow();
      WitnessStore store = new WitnessStore(node);
      store.saveLatest(cp);

      CheckpointWitness restored =
          new CheckpointWitness(
              LedgerVerifierTest.LOG.verifierKey(),
              org.salus.core.ledger.note.NoteSigner.generate(
                  "w",
                  org.salus.core.ledger.note.KeyType.COSIGNATURE_V1,
                  LedgerVerifierTest.RANDOM),
              store.latest(cp.checkpoint().origin()),
              InstantSource.fixed(Instant.EPOCH),
              e -> {});

      assertThat(store.latest("elsewhere")).isEqualTo(Optional.empty());
      try (LedgerProofs proofs = new LedgerProofs(log)) {
        var again = restored.addCheckpoint(20, proofs.consistency(20, 20), cp);
        assertThat(again).isInstanceOf(WitnessOutcome.Cosigned.class);
        assertThat(restored.addCheckpoint(0, proofs.consistency(0, 20), cp))
            .isEqualTo(new WitnessOutcome.Conflict(20));
      }
    }
  }
}
