package org.salus.core.ledger.witness;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.MemoryHashStore;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.ProofFailure;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;

class CheckpointWitnessTest {

  static final SecureRandom RANDOM = new SecureRandom();
  static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_800_000_000L));

  final NoteSigner logKey = NoteSigner.generate("node-a", KeyType.ED25519, RANDOM);
  final List<ForkEvidence> alarms = new ArrayList<>();

  /** A log whose history is leaves {@code prefix-0, prefix-1, ...}. */
  final class Log {
    final MemoryHashStore store = new MemoryHashStore();
    final String prefix;

    Log(String prefix) {
      this.prefix = prefix;
    }

    Log grow(int to) {
      while (store.size() < to) {
        store.append(TreeHasher.leafHash((prefix + store.size()).getBytes(UTF8)));
      }
      return this;
    }

    SignedCheckpoint checkpoint() {
      return SignedCheckpoint.sign(new Checkpoint("node-a", store.size(), store.root()), logKey);
    }

    ConsistencyProof from(long size) {
      return new ProofBuilder(store).consistency(size, store.size());
    }
  }

  static final java.nio.charset.Charset UTF8 = java.nio.charset.StandardCharsets.UTF_8;

  CheckpointWitness witness(String name) {
    return new CheckpointWitness(
        logKey.verifierKey(),
        NoteSigner.generate(name, KeyType.COSIGNATURE_V1, RANDOM),
        Optional.empty(),
        CLOCK,
        alarms::add);
  }

  @Test
  void consistentCheckpointsAreCosignedInTurn() {
    Log log = new Log("e").grow(5);
    CheckpointWitness w = witness("w1");

    var first = w.addCheckpoint(0, log.from(0), log.checkpoint());
    log.grow(12);
    var second = w.addCheckpoint(5, log.from(5), log.checkpoint());

    assertThat(first).isInstanceOf(WitnessOutcome.Cosigned.class);
    assertThat(second).isInstanceOf(WitnessOutcome.Cosigned.class);
    var cosigned = ((WitnessOutcome.Cosigned) second).checkpoint();
    assertThat(w.latest().orElseThrow().checkpoint().size()).isEqualTo(12);
    assertThat(cosigned.signatures()).hasSize(2);
    assertThat(alarms).isEmpty();
  }

  @Test
  void aStaleOldSizeIsAConflictNamingTheLatestSize() {
    Log log = new Log("e").grow(5);
    CheckpointWitness w = witness("w1");
    w.addCheckpoint(0, log.from(0), log.checkpoint());
    log.grow(9);

    assertThat(w.addCheckpoint(3, log.from(3), log.checkpoint()))
        .isEqualTo(new WitnessOutcome.Conflict(5));
  }

  @Test
  void aCheckpointNotSignedByTheLogIsRefused() {
    Log log = new Log("e").grow(5);
    NoteSigner impostor = NoteSigner.generate("node-a", KeyType.ED25519, RANDOM);
    SignedCheckpoint forged = SignedCheckpoint.sign(log.checkpoint().checkpoint(), impostor);

    assertThat(witness("w1").addCheckpoint(0, log.from(0), forged))
        .isInstanceOf(WitnessOutcome.BadSignature.class);
  }

  @Test
  void sameSizeAnotherRootIsAForkKeptAndRaised() {
    Log honest = new Log("e").grow(6);
    Log rewritten = new Log("x").grow(6);
    CheckpointWitness w = witness("w1");
    w.addCheckpoint(0, honest.from(0), honest.checkpoint());

    var outcome = w.addCheckpoint(6, rewritten.from(6), rewritten.checkpoint());

    assertThat(outcome).isInstanceOf(WitnessOutcome.Fork.class);
    ForkEvidence e = ((WitnessOutcome.Fork) outcome).evidence();
    assertThat(e.cosigned()).isEqualTo(honest.checkpoint());
    assertThat(e.offered()).isEqualTo(rewritten.checkpoint());
    assertThat(e.failure()).containsInstanceOf(ProofFailure.RootMismatch.class);
    assertThat(alarms).containsExactly(e);
    // Once forked, nothing of that log is cosigned any more.
    honest.grow(8);
    assertThat(w.addCheckpoint(6, honest.from(6), honest.checkpoint()))
        .isInstanceOf(WitnessOutcome.Fork.class);
  }

  @Test
  void aForkShownToTwoWitnessesIsDetected() {
    // The log shows history A to witness 1 and history B to witness 2, both of size 10.
    Log a = new Log("a").grow(10);
    Log b = new Log("b").grow(10);
    CheckpointWitness w1 = witness("w1");
    CheckpointWitness w2 = witness("w2");
    assertThat(w1.addCheckpoint(0, a.from(0), a.checkpoint()))
        .isInstanceOf(WitnessOutcome.Cosigned.class);
    assertThat(w2.addCheckpoint(0, b.from(0), b.checkpoint()))
        .isInstanceOf(WitnessOutcome.Cosigned.class);

    // Caught either way: witnesses compare what they cosigned ...
    assertThat(w1.observe(w2.latest().orElseThrow())).isPresent();
    // ... or the log later extends B and must show it to witness 1, whose proof check fails.
    CheckpointWitness w3 = witness("w3");
    w3.addCheckpoint(0, a.from(0), a.checkpoint());
    b.grow(14);
    var outcome = w3.addCheckpoint(10, b.from(10), b.checkpoint());
    assertThat(outcome).isInstanceOf(WitnessOutcome.Fork.class);
    assertThat(alarms).hasSize(2);
  }

  @Test
  void sizesGoingBackwardsAreABadRequest() {
    Log log = new Log("e").grow(5);
    CheckpointWitness w = witness("w1");
    w.addCheckpoint(0, log.from(0), log.checkpoint());
    assertThat(w.addCheckpoint(6, new ConsistencyProof(5, 5, List.of()), log.checkpoint()))
        .isInstanceOf(WitnessOutcome.BadRequest.class);
  }
}
