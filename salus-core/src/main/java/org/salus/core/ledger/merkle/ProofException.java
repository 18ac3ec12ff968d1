package org.salus.core.ledger.merkle;

import org.salus.core.error.SalusException;

/** A Merkle proof was refused; {@link #failure()} carries the evidence. */
public final class ProofException extends SalusException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // failures are values; this exception is never serialised
  private final ProofFailure failure;

  public ProofException(String what, ProofFailure failure) {
    super("ledger.proof." + failure.kind(), what + ": " + failure.describe());
    this.failure = failure;
  }

  public ProofFailure failure() {
    return failure;
  }
}
