package org.salus.core.ledger.witness;

import java.util.Optional;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.ProofFailure;
import org.salus.core.ledger.note.SignedCheckpoint;

/**
 * Two checkpoints, both signed by one log, that cannot both be true: the same size with different
 * roots, or a later checkpoint whose consistency proof with the earlier one fails. Anyone holding
 * the log's key can check it offline.
 *
 * @param cosigned the checkpoint this witness had cosigned (or had seen cosigned)
 * @param offered the checkpoint that contradicts it
 * @param proof the consistency proof the log offered, if any
 * @param failure why the proof failed, if one was offered
 * @param wrongKey set when the contradiction is a key that signed after it handed over to the next
 *     key of the log's chain (docs/ledger.md, "Witnesses and key rotation"): what it signed
 */
public record ForkEvidence(
    SignedCheckpoint cosigned,
    SignedCheckpoint offered,
    Optional<ConsistencyProof> proof,
    Optional<ProofFailure> failure,
    Optional<String> wrongKey) {

  /** A fork of two histories (no key handed over). */
  public ForkEvidence(
      SignedCheckpoint cosigned,
      SignedCheckpoint offered,
      Optional<ConsistencyProof> proof,
      Optional<ProofFailure> failure) {
    this(cosigned, offered, proof, failure, Optional.empty());
  }

  /** A one-line description for the steward and {@code salus ledger verify}. */
  public String describe() {
    var a = cosigned.checkpoint();
    var b = offered.checkpoint();
    if (wrongKey.isPresent()) {
      return "fork of "
          + a.origin()
          + " between sizes "
          + a.size()
          + " and "
          + b.size()
          + ": "
          + wrongKey.get();
    }
    String why =
        failure
            .map(ProofFailure::describe)
            .orElse("same size " + a.size() + ", roots " + a.root() + " and " + b.root());
    return "fork of " + a.origin() + " between sizes " + a.size() + " and " + b.size() + ": " + why;
  }
}
