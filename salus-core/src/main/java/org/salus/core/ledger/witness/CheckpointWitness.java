package org.salus.core.ledger.witness;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.salus.core.error.SalusException;
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
import org.salus.core.ledger.proof.KeyChain;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;

/**
 * A witness of one log (one origin), as in c2sp.org/tlog-witness: it cosigns a checkpoint only if
 * it is consistent with the latest one it cosigned. A contradiction is a fork: the witness refuses,
 * keeps both checkpoints as {@link ForkEvidence}, raises the alarm, and from then on refuses every
 * checkpoint of that log.
 *
 * <p>The witness follows the log's key rotations: starting from the log's first key (the one the
 * trust list names), it accepts a rotation ({@link #acceptRotation}) only as the proof of the log's
 * {@code KeyRotation} entry against its handover checkpoint, signed by the key it knows, and
 * consistent with what it cosigned. From then on the new key signs every checkpoint above the
 * handover; the old key signing one there is kept as evidence like a fork. Not thread-safe: a
 * server serialises requests per origin.
 */
public final class CheckpointWitness {

  private enum State {
    WATCHING,
    FORKED
  }

  private final VerifierKey logKey;
  private final List<ProofFile> rotations = new ArrayList<>();
  private KeyChain chain;
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
    this(logKey, List.of(), witnessKey, latest, clock, alarm);
  }

  /**
   * @param firstKey the log's first key (the one the trust list names)
   * @param rotations the rotation proofs this witness accepted before, oldest first (from its
   *     store); checked again here
   * @param latest the checkpoint this witness last cosigned for the log, if any (from its store)
   * @throws SalusException {@code ledger.key-rotation.*} when a stored rotation does not verify
   */
  public CheckpointWitness(
      VerifierKey firstKey,
      List<ProofFile> rotations,
      NoteSigner witnessKey,
      Optional<SignedCheckpoint> latest,
      InstantSource clock,
      ForkAlarm alarm) {
    this.logKey = Objects.requireNonNull(firstKey, "firstKey");
    this.rotations.addAll(rotations);
    this.chain = KeyChain.verify(firstKey, this.rotations);
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

  /** The rotation proofs accepted, oldest first. */
  public List<ProofFile> rotations() {
    return List.copyOf(rotations);
  }

  /** The log's keys as this witness follows them. */
  public KeyChain chain() {
    return chain;
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
    Checkpoint next = offered.checkpoint();
    try {
      offered.verifyLog(chain.keyFor(next.size()));
    } catch (NoteException e) {
      if (state == State.WATCHING) {
        Optional<WitnessOutcome> handedOver = signedAfterHandover(offered);
        if (handedOver.isPresent()) {
          return handedOver.get();
        }
      }
      return new WitnessOutcome.BadSignature();
    }
    if (state == State.FORKED) {
      return new WitnessOutcome.Fork(forks.get(0));
    }
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
   * A key rotation of the log: {@code request} carries the proof of its {@code KeyRotation} entry
   * at index {@code r} against the handover checkpoint of size {@code r + 1}, and a consistency
   * proof from the size the witness last cosigned to the handover. Accepted ({@code Cosigned}, the
   * handover cosigned and the new key current for sizes above it) only when the handover is signed
   * by the key this witness holds for that size, the entry is a rotation naming a new Ed25519 key
   * of this origin that is none of {@code otherKeys} (other logs' keys) nor one of this log's
   * earlier keys, the inclusion proof verifies, and the handover equals or consistently extends the
   * checkpoint last cosigned. A rotation already accepted is answered with a fresh cosignature of
   * its handover. Otherwise the key is unchanged: {@code BadSignature}, {@code BadRequest}, {@code
   * Conflict} (old size not the latest), or {@code Fork} (the handover contradicts what was
   * cosigned, or the old key signed above it).
   */
  public WitnessOutcome acceptRotation(KeyRotationRequest request, List<VerifierKey> otherKeys) {
    ProofFile rotation = request.rotation();
    SignedCheckpoint handover = rotation.checkpoint();
    Checkpoint h = handover.checkpoint();
    if (!h.origin().equals(origin())) {
      return new WitnessOutcome.BadRequest(
          "the handover checkpoint is of " + h.origin() + ", not " + origin());
    }
    if (h.size() != rotation.index() + 1) {
      return new WitnessOutcome.BadRequest(
          "the proof of entry "
              + rotation.index()
              + " is against checkpoint "
              + h.size()
              + ", not its handover checkpoint "
              + (rotation.index() + 1));
    }
    for (ProofFile known : rotations) {
      if (known.index() == rotation.index()) {
        return alreadyAccepted(known, rotation);
      }
    }
    try {
      handover.verifyLog(chain.keyFor(h.size()));
    } catch (NoteException e) {
      return new WitnessOutcome.BadSignature();
    }
    if (state == State.FORKED) {
      return new WitnessOutcome.Fork(forks.get(0));
    }
    List<KeyChain.Period> periods = chain.periods();
    if (h.size() < periods.get(periods.size() - 1).fromSize()) {
      return new WitnessOutcome.BadRequest(
          "rotation at entry " + rotation.index() + " is before the last rotation accepted");
    }
    VerifierKey current = chain.keyFor(h.size());
    VerifierKey next;
    try {
      rotation.verify(new TrustPolicy(current, List.of(), 0));
      next = KeyChain.rotatedKey(rotation.entry(), current, rotation.index());
    } catch (SalusException e) {
      return new WitnessOutcome.BadRequest(e.code() + ": " + e.getMessage());
    }
    for (KeyChain.Period p : periods) {
      if (Arrays.equals(p.key().publicKeyBytes(), next.publicKeyBytes())) {
        return new WitnessOutcome.BadRequest(
            "rotation at entry " + rotation.index() + " names a key this log used before");
      }
    }
    for (VerifierKey other : otherKeys) {
      if (Arrays.equals(other.publicKeyBytes(), next.publicKeyBytes())) {
        return new WitnessOutcome.BadRequest(
            "rotation at entry " + rotation.index() + " names the key of " + other.name());
      }
    }
    long latestSize = latest.map(c -> c.checkpoint().size()).orElse(0L);
    if (request.oldSize() != latestSize) {
      return new WitnessOutcome.Conflict(latestSize);
    }
    if (latest.isPresent()) {
      Checkpoint mine = latest.get().checkpoint();
      if (mine.size() > h.size()) {
        return new WitnessOutcome.Fork(
            recordFork(
                latest.get(),
                handover,
                Optional.empty(),
                Optional.empty(),
                Optional.of(
                    "key "
                        + current.keyIdHex()
                        + " handed over at size "
                        + h.size()
                        + " but had signed checkpoint "
                        + mine.size())));
      }
      if (mine.size() == h.size()) {
        if (!mine.root().equals(h.root())) {
          return new WitnessOutcome.Fork(
              recordFork(latest.get(), handover, Optional.empty(), Optional.empty()));
        }
      } else {
        ConsistencyProof proof = request.consistencyProof();
        if (proof.size1() != latestSize) {
          return new WitnessOutcome.BadRequest(
              "the proof is not from " + latestSize + " to " + h.size());
        }
        Optional<WitnessOutcome> fork = checkConsistency(latest.get(), proof, handover);
        if (fork.isPresent()) {
          return fork.get();
        }
      }
    }
    List<ProofFile> extended = new ArrayList<>(rotations);
    extended.add(rotation);
    KeyChain extendedChain;
    try {
      extendedChain = KeyChain.verify(logKey, extended);
    } catch (SalusException e) {
      return new WitnessOutcome.BadRequest(e.code() + ": " + e.getMessage());
    }
    rotations.add(rotation);
    chain = extendedChain;
    return cosign(handover);
  }

  private WitnessOutcome alreadyAccepted(ProofFile known, ProofFile offered) {
    Checkpoint a = known.checkpoint().checkpoint();
    Checkpoint b = offered.checkpoint().checkpoint();
    try {
      offered.checkpoint().verifyLog(chain.keyFor(b.size()));
    } catch (NoteException e) {
      return new WitnessOutcome.BadSignature();
    }
    if (state == State.FORKED) {
      return new WitnessOutcome.Fork(forks.get(0));
    }
    if (!a.root().equals(b.root())) {
      return new WitnessOutcome.Fork(
          recordFork(known.checkpoint(), offered.checkpoint(), Optional.empty(), Optional.empty()));
    }
    if (!Arrays.equals(known.entry(), offered.entry())) {
      return new WitnessOutcome.BadRequest(
          "entry " + offered.index() + " is not the rotation accepted before");
    }
    long now = clock.instant().getEpochSecond();
    NoteSignature cosignature = Cosignatures.sign(a, now, witnessKey);
    return new WitnessOutcome.Cosigned(cosignature, known.checkpoint().with(cosignature));
  }

  // An offered checkpoint that does not verify with its period's key, but with the key of an
  // earlier period, above that key's handover: the old key signed after it handed over.
  private Optional<WitnessOutcome> signedAfterHandover(SignedCheckpoint offered) {
    long size = offered.checkpoint().size();
    List<KeyChain.Period> periods = chain.periods();
    for (int i = 0; i + 1 < periods.size(); i++) {
      long end = periods.get(i + 1).fromSize();
      if (size < end) {
        continue;
      }
      VerifierKey old = periods.get(i).key();
      try {
        offered.verifyLog(old);
      } catch (NoteException e) {
        continue;
      }
      SignedCheckpoint handover = rotations.get(i).checkpoint();
      String what =
          "checkpoint "
              + size
              + " is signed by key "
              + old.keyIdHex()
              + ", which handed over to key "
              + periods.get(i + 1).key().keyIdHex()
              + " at size "
              + handover.checkpoint().size();
      return Optional.of(
          new WitnessOutcome.Fork(
              recordFork(
                  handover, offered, Optional.empty(), Optional.empty(), Optional.of(what))));
    }
    return Optional.empty();
  }

  /**
   * Compares a checkpoint of this log seen elsewhere (another witness's cosigned view, a client's
   * proof file): the same size with another root is a fork.
   */
  public Optional<ForkEvidence> observe(SignedCheckpoint seen) {
    try {
      seen.verifyLog(chain.keyFor(seen.checkpoint().size()));
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
    return recordFork(cosigned, offered, proof, failure, Optional.empty());
  }

  private ForkEvidence recordFork(
      SignedCheckpoint cosigned,
      SignedCheckpoint offered,
      Optional<ConsistencyProof> proof,
      Optional<org.salus.core.ledger.merkle.ProofFailure> failure,
      Optional<String> wrongKey) {
    ForkEvidence evidence = new ForkEvidence(cosigned, offered, proof, failure, wrongKey);
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
