package org.salus.core.ledger.proof;

import org.salus.core.error.SalusException;

/**
 * A proof file is malformed ({@code ledger.proof-file.malformed}) or lacks the cosignatures its
 * trust policy asks for ({@code ledger.proof-file.quorum}).
 */
public final class ProofFileException extends SalusException {

  private static final long serialVersionUID = 1L;

  ProofFileException(String code, String message) {
    super(code, message);
  }
}
