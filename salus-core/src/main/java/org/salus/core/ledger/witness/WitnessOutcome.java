package org.salus.core.ledger.witness;

import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.SignedCheckpoint;

/**
 * What a witness answers to an add-checkpoint request (c2sp.org/tlog-witness): a cosignature, or
 * one of the refusals with the status the spec gives it.
 */
public sealed interface WitnessOutcome {

  /** Consistent: the witness cosigned; {@code checkpoint} carries the new cosignature line. */
  record Cosigned(NoteSignature cosignature, SignedCheckpoint checkpoint)
      implements WitnessOutcome {}

  /** The log's old size is not the witness's latest cosigned size (HTTP 409, body: that size). */
  record Conflict(long latestSize) implements WitnessOutcome {}

  /** The log's signature does not verify with the witness's key for this origin (HTTP 403). */
  record BadSignature() implements WitnessOutcome {}

  /** The request is malformed: sizes out of order, or a proof for equal sizes (HTTP 400). */
  record BadRequest(String reason) implements WitnessOutcome {}

  /** The checkpoint contradicts one cosigned before: refused, kept, alarm raised (HTTP 422). */
  record Fork(ForkEvidence evidence) implements WitnessOutcome {}
}
