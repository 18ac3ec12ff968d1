package org.salus.core.ledger.witness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.MemoryHashStore;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.ProofFile;

/** {@link CheckpointWitness#acceptRotation} on an in-memory log: which rotations move the key. */
class WitnessRotationTest {

  static final SecureRandom RANDOM = new SecureRandom();
  static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_800_000_000L));
  static final String ORIGIN = "salus.node/node-a";

  final NoteSigner first = NoteSigner.generate(ORIGIN, KeyType.ED25519, RANDOM);
  final NoteSigner second = NoteSigner.generate(ORIGIN, KeyType.ED25519, RANDOM);
  final MemoryHashStore log = new MemoryHashStore();
  final List<byte[]> entries = new ArrayList<>();
  final List<ForkEvidence> alarms = new ArrayList<>();

  void append(byte[] entry) {
    entries.add(entry);
    log.append(TreeHasher.leafHash(entry));
  }

  void grow(int to) {
    while (log.size() < to) {
      append(("entry " + log.size()).getBytes(StandardCharsets.UTF_8));
    }
  }

  SignedCheckpoint checkpoint(long size, NoteSigner key) {
    return SignedCheckpoint.sign(
        new Checkpoint(ORIGIN, size, new ProofBuilder(log).root(size)), key);
  }

  /** Appends a rotation to {@code next} at the end and returns its request from {@code old}. */
  KeyRotationRequest rotate(VerifierKey next, long old) {
    append(EntryCodec.encode(rotation(next)));
    long index = log.size() - 1;
    ProofFile proof =
        new ProofFile(
            entries.get((int) index),
            index,
            new ProofBuilder(log).inclusion(index, index + 1).hashes(),
            checkpoint(index + 1, first));
    return new KeyRotationRequest(
        old,
        old == 0 ? List.of() : new ProofBuilder(log).consistency(old, index + 1).hashes(),
        proof);
  }

  static LedgerEvent rotation(VerifierKey next) {
    return new LedgerEvent.KeyRotation(
        new EventContext(
            Instant.parse("2026-12-01T10:00:00Z"),
            ActorId.ofCredential("node:" + ORIGIN),
            Optional.empty(),
            "HOPERAT",
            List.of("ledger-key"),
            Optional.empty()),
        next.encode());
  }

  CheckpointWitness witness() {
    return new CheckpointWitness(
        first.verifierKey(),
        List.of(),
        NoteSigner.generate("witness-b", KeyType.COSIGNATURE_V1, RANDOM),
        Optional.empty(),
        CLOCK,
        alarms::add);
  }

  @Test
  void aProperRotationMovesTheKeyAndTheOldKeyAboveTheHandoverIsEvidence() {
    CheckpointWitness w = witness();
    grow(4);
    assertThat(w.addCheckpoint(0, new ProofBuilder(log).consistency(0, 4), checkpoint(4, first)))
        .isInstanceOf(WitnessOutcome.Cosigned.class);
    KeyRotationRequest r = rotate(second.verifierKey(), 4);
    assertThat(KeyRotationRequest.parse(r.encode())).isEqualTo(r);

    assertThat(w.acceptRotation(r, List.of())).isInstanceOf(WitnessOutcome.Cosigned.class);
    assertThat(w.latest().orElseThrow().checkpoint().size()).isEqualTo(5);
    assertThat(w.chain().keyFor(6)).isEqualTo(second.verifierKey());
    assertThat(w.chain().keyFor(5)).isEqualTo(first.verifierKey());
    grow(7);
    assertThat(w.addCheckpoint(5, new ProofBuilder(log).consistency(5, 7), checkpoint(7, first)))
        .as("the first key after its handover")
        .isInstanceOf(WitnessOutcome.Fork.class);
    assertThat(alarms).singleElement().satisfies(f -> assertThat(f.wrongKey()).isPresent());
    assertThat(alarms.get(0).describe())
        .contains("checkpoint 7 is signed by key " + first.verifierKey().keyIdHex())
        .contains("at size 5");
  }

  @Test
  void theNewKeySignsAfterTheHandoverAndARestoredWitnessKeepsIt() {
    CheckpointWitness w = witness();
    grow(3);
    KeyRotationRequest r = rotate(second.verifierKey(), 0);
    assertThat(w.acceptRotation(r, List.of())).isInstanceOf(WitnessOutcome.Cosigned.class);
    grow(6);
    assertThat(w.addCheckpoint(4, new ProofBuilder(log).consistency(4, 6), checkpoint(6, second)))
        .isInstanceOf(WitnessOutcome.Cosigned.class);

    CheckpointWitness restored =
        new CheckpointWitness(
            first.verifierKey(),
            w.rotations(),
            NoteSigner.generate("witness-b", KeyType.COSIGNATURE_V1, RANDOM),
            w.latest(),
            CLOCK,
            alarms::add);
    grow(8);
    assertThat(
            restored.addCheckpoint(
                6, new ProofBuilder(log).consistency(6, 8), checkpoint(8, second)))
        .isInstanceOf(WitnessOutcome.Cosigned.class);
    assertThat(restored.acceptRotation(r, List.of()))
        .as("a rotation accepted before: cosigned again")
        .isInstanceOf(WitnessOutcome.Cosigned.class);
    assertThat(restored.chain().periods()).hasSize(2);
    assertThat(alarms).isEmpty();
  }

  @Test
  void aRotationToAnotherLogsKeyOrTheSameKeyKeepsTheOldKey() {
    CheckpointWitness w = witness();
    grow(3);
    NoteSigner othersKey = NoteSigner.generate(ORIGIN, KeyType.ED25519, RANDOM);
    VerifierKey listedForNodeB =
        VerifierKey.of(
            "salus.node/node-b", KeyType.ED25519, othersKey.verifierKey().publicKeyBytes());
    KeyRotationRequest toOther = rotate(othersKey.verifierKey(), 0);

    assertThat(w.acceptRotation(toOther, List.of(listedForNodeB)))
        .isInstanceOfSatisfying(
            WitnessOutcome.BadRequest.class,
            b -> assertThat(b.reason()).contains("names the key of salus.node/node-b"));
    assertThat(w.chain().periods()).hasSize(1);
    assertThat(w.latest()).isEmpty();

    // A rotation entry that is not in the log, with the inclusion proof of the real one.
    KeyRotationRequest proper = rotate(second.verifierKey(), 0);
    NoteSigner forger = NoteSigner.generate(ORIGIN, KeyType.ED25519, RANDOM);
    ProofFile p = proper.rotation();
    KeyRotationRequest notInLog =
        new KeyRotationRequest(
            0,
            List.of(),
            new ProofFile(
                EntryCodec.encode(rotation(forger.verifierKey())),
                p.index(),
                p.proof(),
                p.checkpoint()));
    assertThat(w.acceptRotation(notInLog, List.of())).isInstanceOf(WitnessOutcome.BadRequest.class);
    assertThat(w.chain().periods()).hasSize(1);

    CheckpointWitness w2 = witness();
    KeyRotationRequest same = rotate(first.verifierKey(), 0);
    assertThat(w2.acceptRotation(same, List.of()))
        .isInstanceOfSatisfying(
            WitnessOutcome.BadRequest.class,
            b -> assertThat(b.reason()).contains("ledger.key-rotation.bad-key"));
    assertThat(w2.chain().periods()).hasSize(1);
    assertThat(alarms).isEmpty();
  }
}
