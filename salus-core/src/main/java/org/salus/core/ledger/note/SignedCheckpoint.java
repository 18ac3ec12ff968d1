package org.salus.core.ledger.note;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint and the signature lines of its note: the log's own and any witnesses' cosignatures.
 */
public record SignedCheckpoint(Checkpoint checkpoint, List<NoteSignature> signatures) {

  public SignedCheckpoint {
    signatures = List.copyOf(signatures);
  }

  /** Signs a checkpoint with the log's key. */
  public static SignedCheckpoint sign(Checkpoint checkpoint, NoteSigner log) {
    return new SignedCheckpoint(checkpoint, List.of(log.sign(checkpoint.body())));
  }

  /** Parses a signed checkpoint note; nothing is verified. */
  public static SignedCheckpoint parse(String note) {
    Note n = Note.parse(note);
    return new SignedCheckpoint(Checkpoint.parse(n.text()), n.signatures());
  }

  /** The note text. */
  public String encode() {
    return new Note(checkpoint.body(), signatures).encode();
  }

  /** This checkpoint with one more signature line. */
  public SignedCheckpoint with(NoteSignature signature) {
    return new SignedCheckpoint(
        checkpoint,
        java.util.stream.Stream.concat(signatures.stream(), java.util.stream.Stream.of(signature))
            .toList());
  }

  /**
   * Verifies the log's signature: the origin must be the key's name (tlog-checkpoint), and a
   * signature line by that key must verify over the body.
   *
   * @throws NoteException {@code ledger.note.bad-signature} if none does
   */
  public void verifyLog(VerifierKey log) {
    if (log.type() != KeyType.ED25519 || !checkpoint.origin().equals(log.name())) {
      throw NoteException.badSignature("checkpoint of " + checkpoint.origin() + " is not signed");
    }
    byte[] body = checkpoint.body().getBytes(StandardCharsets.UTF_8);
    for (NoteSignature s : signatures) {
      if (s.isBy(log) && Ed25519.verify(log.publicKey(), body, s.signatureBytes())) {
        return;
      }
    }
    throw NoteException.badSignature("checkpoint of " + checkpoint.origin() + " is not signed");
  }

  /** The timestamp of a valid cosignature by {@code witness}, if there is one. */
  public Optional<Long> cosignedBy(VerifierKey witness) {
    for (NoteSignature s : signatures) {
      if (s.isBy(witness)) {
        Optional<Long> t = Cosignatures.verify(checkpoint, s, witness);
        if (t.isPresent()) {
          return t;
        }
      }
    }
    return Optional.empty();
  }
}
