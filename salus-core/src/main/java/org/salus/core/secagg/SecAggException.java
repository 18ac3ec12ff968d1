package org.salus.core.secagg;

import org.salus.core.error.SalusException;

/**
 * A secure-aggregation failure: a misconfigured round, a call out of order, a refused request, too
 * few survivors, or an encoding overflow. The {@link #code()} is stable, starting with {@code
 * secagg.}.
 */
public class SecAggException extends SalusException {

  private static final long serialVersionUID = 1L;

  public SecAggException(String code, String message) {
    super(code, message);
  }

  public SecAggException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
