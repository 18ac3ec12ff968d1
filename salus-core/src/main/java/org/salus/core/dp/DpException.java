package org.salus.core.dp;

import org.salus.core.error.SalusException;

/** A differential-privacy failure: bad parameters, a refused charge, a call out of order. */
public class DpException extends SalusException {

  private static final long serialVersionUID = 1L;

  public DpException(String code, String message) {
    super(code, message);
  }
}
