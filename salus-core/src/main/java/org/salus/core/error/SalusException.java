package org.salus.core.error;

import java.util.Objects;

/**
 * The root of Salus's failure families. Each carries a stable {@link #code()} (for example {@code
 * ingest.bundle.invalid-reference}) that callers and tests branch on, and a message that says what
 * went wrong and where, never which patient.
 */
public class SalusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;

  public SalusException(String code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public SalusException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable, machine-readable code of this failure. */
  public String code() {
    return code;
  }

  /** {@code code: message}, the form the command line prints. */
  public String describe() {
    return code + ": " + getMessage();
  }
}
