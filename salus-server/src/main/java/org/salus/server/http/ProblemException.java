package org.salus.server.http;

import org.salus.core.error.SalusException;

/** A refusal that becomes an RFC 9457 problem response with {@link #status()}. */
public final class ProblemException extends SalusException {

  private static final long serialVersionUID = 1L;

  private final int status;

  public ProblemException(int status, String code, String detail) {
    super(code, detail);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
