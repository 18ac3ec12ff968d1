package org.salus.store.ledger;

import org.salus.core.error.SalusException;

/** The ledger's database failed ({@code ledger.store.*}); the message names the operation. */
public final class LedgerStoreException extends SalusException {

  private static final long serialVersionUID = 1L;

  public LedgerStoreException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }

  public LedgerStoreException(String code, String message) {
    super(code, message);
  }
}
