package org.salus.fhir.ingest;

import org.salus.core.error.SalusException;

/**
 * A source file could not be read or mapped. The {@link #code()} is stable (for example {@code
 * ingest.bundle.invalid-reference}); the message names the file, the entry index or line, the
 * resource type and id, and the element, and never holds patient data: no names, addresses, birth
 * dates, values, identifier values or free text.
 */
public final class IngestException extends SalusException {

  private static final long serialVersionUID = 1L;

  public IngestException(String code, String message) {
    super(code, message);
  }

  /**
   * Wraps a library failure. Only the cause's class name is kept, never its message: parser
   * messages can echo the content they choked on.
   */
  public IngestException(String code, String message, Throwable cause) {
    super(code, message + " (" + cause.getClass().getSimpleName() + ")");
  }
}
