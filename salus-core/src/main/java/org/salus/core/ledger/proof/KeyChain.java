package org.salus.core.ledger.proof;

import java.util.ArrayList;
import java.util.List;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteException;
import org.salus.core.ledger.note.VerifierKey;

/**
 * The checkpoint keys of one log over time, learnt offline: starting from the key a verifier trusts
 * (the log's first key, from a trust list or given), each rotation is a tlog-proof of a {@code
 * KeyRotation} entry at index {@code r} against the log's handover checkpoint of size {@code r +
 * 1}, signed by the key it replaces. The new key signs every checkpoint larger than {@code r + 1}.
 */
public final class KeyChain {

  /** One key and the first checkpoint size it signs. */
  public record Period(long fromSize, VerifierKey key) {}

  private final List<Period> periods;

  private KeyChain(List<Period> periods) {
    this.periods = List.copyOf(periods);
  }

  /** A log that never rotated its key. */
  public static KeyChain of(VerifierKey first) {
    return new KeyChain(List.of(new Period(0, first)));
  }

  /**
   * Checks each rotation proof, in log order, with the key valid for its checkpoint.
   *
   * @throws ProofFileException {@code ledger.key-rotation.*} when a proof is not a rotation, not
   *     against its handover checkpoint, out of order, or names an unusable key; {@code
   *     ledger.proof-file.*} or a {@link NoteException} when it does not verify
   */
  public static KeyChain verify(VerifierKey first, List<ProofFile> rotations) {
    List<Period> periods = new ArrayList<>();
    periods.add(new Period(0, first));
    VerifierKey current = first;
    long last = -1;
    for (ProofFile p : rotations) {
      long size = p.checkpoint().checkpoint().size();
      if (p.index() <= last) {
        throw refused(
            "out-of-order",
            "rotation proofs must be in log order (entry " + p.index() + " after " + last + ")");
      }
      if (size != p.index() + 1) {
        throw refused(
            "not-handover",
            "the proof of rotation entry "
                + p.index()
                + " is against checkpoint "
                + size
                + ", not its handover checkpoint "
                + (p.index() + 1));
      }
      VerifiedEntry v = p.verify(new TrustPolicy(current, List.of(), 0));
      VerifierKey next = rotatedKey(v.entry(), current, p.index());
      periods.add(new Period(size + 1, next));
      current = next;
      last = p.index();
    }
    return new KeyChain(periods);
  }

  /**
   * The key a {@code KeyRotation} entry names, checked against the key it replaces: same name,
   * Ed25519, not the same key.
   *
   * @throws ProofFileException {@code ledger.key-rotation.*} otherwise
   */
  public static VerifierKey rotatedKey(byte[] entry, VerifierKey replaced, long index) {
    LedgerEvent event;
    try {
      event = EntryCodec.decode(entry);
    } catch (RuntimeException e) {
      throw refused("not-rotation", "entry " + index + " does not decode");
    }
    if (!(event instanceof LedgerEvent.KeyRotation r)) {
      throw refused("not-rotation", "entry " + index + " is not a key rotation");
    }
    VerifierKey next;
    try {
      next = VerifierKey.parse(r.newKey());
    } catch (NoteException | IllegalArgumentException e) {
      throw refused("bad-key", "key rotation at entry " + index + " names no valid verifier key");
    }
    if (!next.name().equals(replaced.name()) || next.type() != KeyType.ED25519) {
      throw refused(
          "bad-key",
          "key rotation at entry "
              + index
              + " names key "
              + next.name()
              + " of type "
              + next.type()
              + ", not an Ed25519 key of "
              + replaced.name());
    }
    if (next.equals(replaced)) {
      throw refused("bad-key", "key rotation at entry " + index + " names the key it replaces");
    }
    return next;
  }

  /** The key that signs checkpoints of tree size {@code size}. */
  public VerifierKey keyFor(long size) {
    VerifierKey k = periods.get(0).key();
    for (Period p : periods) {
      if (p.fromSize() <= size) {
        k = p.key();
      }
    }
    return k;
  }

  public List<Period> periods() {
    return periods;
  }

  /** Verifies {@code proof} with the key of its checkpoint's period. */
  public VerifiedEntry verify(ProofFile proof, List<VerifierKey> witnesses, int quorum) {
    return proof.verify(
        new TrustPolicy(keyFor(proof.checkpoint().checkpoint().size()), witnesses, quorum));
  }

  private static ProofFileException refused(String what, String message) {
    return new ProofFileException("ledger.key-rotation." + what, message);
  }
}
