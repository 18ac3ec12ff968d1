package org.salus.core.consent;

import org.salus.core.error.SalusException;

/** A consent that cannot be built or changed as asked; codes start with {@code consent.}. */
public final class ConsentException extends SalusException {

  private static final long serialVersionUID = 1L;

  public ConsentException(String code, String message) {
    super(code, message);
  }
}
