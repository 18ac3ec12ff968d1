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
 */
public record ForkEvidence(
    SignedCheckpoint cosigned,
    SignedCheckpoint offered,
    Optional<ConsistencyProof> proof,
    Optional<ProofFailure> failure) {

  /** A one-line description for the steward and {@code salus ledger verify}. */
  public String describe() {
    var a = cosigned.checkpoint();
    var b = offered.checkpoint();
    String why =
        failure
            .map(ProofFailure::describe)
            .orElse("same size " + a.size() + ", roots " + a.root() + " and " + b.root());
    return "fork of " + a.origin() + " between sizes " + a.size() + " and " + b.size() + ": " + why;
  }
}
