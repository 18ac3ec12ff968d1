package org.salus.core.ledger.witness;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.ProofException;
import org.salus.core.ledger.merkle.ProofVerifier;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.Cosignatures;
import org.salus.core.ledger.note.NoteException;
import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;

/**
 * A witness of one log (one origin), as in c2sp.org/tlog-witness: it cosigns a checkpoint only if
 * it is consistent with the latest one it cosigned. A contradiction is a fork: the witness refuses,
 * keeps both checkpoints as {@link ForkEvidence}, raises the alarm, and from then on refuses every
 * checkpoint of that log. Not thread-safe: a server serialises requests per origin.
 */
public final class CheckpointWitness {

  private enum State {
    WATCHING,
    FORKED
  }

  private final VerifierKey logKey;
  private final NoteSigner witnessKey;
  private final InstantSource clock;
  private final ForkAlarm alarm;
  private final List<ForkEvidence> forks = new ArrayList<>();
  private Optional<SignedCheckpoint> latest;
  private State state = State.WATCHING;

  /**
   * @param latest the checkpoint this witness last cosigned for the log, if any (from its store)
   */
  public CheckpointWitness(
      VerifierKey logKey,
      NoteSigner witnessKey,
      Optional<SignedCheckpoint> latest,
      InstantSource clock,
      ForkAlarm alarm) {
    this.logKey = Objects.requireNonNull(logKey, "logKey");
    this.witnessKey = Objects.requireNonNull(witnessKey, "witnessKey");
    this.latest = Objects.requireNonNull(latest, "latest");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.alarm = Objects.requireNonNull(alarm, "alarm");
  }

  /** The log this witness watches. */
  public String origin() {
    return logKey.name();
  }

  /** The checkpoint last cosigned, if any. */
  public Optional<SignedCheckpoint> latest() {
    return latest;
  }

  /** Every fork seen so far, oldest first. */
  public List<ForkEvidence> forks() {
    return List.copyOf(forks);
  }

  /**
   * The add-checkpoint exchange: the log sends the size it believes the witness last cosigned, a
   * consistency proof from that size, and its new signed checkpoint.
   */
  public WitnessOutcome addCheckpoint(
      long oldSize, ConsistencyProof proof, SignedCheckpoint offered) {
    try {
      offered.verifyLog(logKey);
    } catch (NoteException e) {
      return new WitnessOutcome.BadSignature();
    }
    if (state == State.FORKED) {
      return new WitnessOutcome.Fork(forks.get(0));
    }
    Checkpoint next = offered.checkpoint();
    long latestSize = latest.map(c -> c.checkpoint().size()).orElse(0L);
    if (oldSize > next.size()) {
      return new WitnessOutcome.BadRequest("old size " + oldSize + " is above " + next.size());
    }
    if (oldSize != latestSize) {
      return new WitnessOutcome.Conflict(latestSize);
    }
    if (proof.size1() != oldSize || proof.size2() != next.size()) {
      return new WitnessOutcome.BadRequest(
          "the proof is not from " + oldSize + " to " + next.size());
    }
    if (latest.isPresent()) {
      Optional<WitnessOutcome> fork = checkConsistency(latest.get(), proof, offered);
      if (fork.isPresent()) {
        return fork.get();
      }
    }
    return cosign(offered);
  }

  /**
   * Compares a checkpoint of this log seen elsewhere (another witness's cosigned view, a client's
   * proof file): the same size with another root is a fork.
   */
  public Optional<ForkEvidence> observe(SignedCheckpoint seen) {
    try {
      seen.verifyLog(logKey);
    } catch (NoteException e) {
      return Optional.empty();
    }
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    Checkpoint mine = latest.get().checkpoint();
    Checkpoint other = seen.checkpoint();
    if (mine.size() == other.size() && !mine.root().equals(other.root())) {
      return Optional.of(recordFork(latest.get(), seen, Optional.empty(), Optional.empty()));
    }
    return Optional.empty();
  }

  private Optional<WitnessOutcome> checkConsistency(
      SignedCheckpoint cosigned, ConsistencyProof proof, SignedCheckpoint offered) {
    try {
      ProofVerifier.verifyConsistency(
          proof, cosigned.checkpoint().root(), offered.checkpoint().root());
      return Optional.empty();
    } catch (ProofException e) {
      ForkEvidence evidence =
          recordFork(cosigned, offered, Optional.of(proof), Optional.of(e.failure()));
      return Optional.of(new WitnessOutcome.Fork(evidence));
    }
  }

  private ForkEvidence recordFork(
      SignedCheckpoint cosigned,
      SignedCheckpoint offered,
      Optional<ConsistencyProof> proof,
      Optional<org.salus.core.ledger.merkle.ProofFailure> failure) {
    ForkEvidence evidence = new ForkEvidence(cosigned, offered, proof, failure);
    forks.add(evidence);
    state = State.FORKED;
    alarm.raise(evidence);
    return evidence;
  }

  private WitnessOutcome cosign(SignedCheckpoint offered) {
    long now = clock.instant().getEpochSecond();
    NoteSignature cosignature = Cosignatures.sign(offered.checkpoint(), now, witnessKey);
    latest = Optional.of(offered);
    return new WitnessOutcome.Cosigned(cosignature, offered.with(cosignature));
  }
}
