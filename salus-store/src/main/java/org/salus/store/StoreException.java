package org.salus.store;

import org.salus.core.error.SalusException;

/**
 * A failure of the node's store or node directory: {@code store.*} and {@code node.*} codes. The
 * message names the operation and the table or path, never patient data and never an input file's
 * label (a label can be a patient-named file).
 */
public final class StoreException extends SalusException {

  private static final long serialVersionUID = 1L;

  public StoreException(String code, String message) {
    super(code, message);
  }

  public StoreException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
