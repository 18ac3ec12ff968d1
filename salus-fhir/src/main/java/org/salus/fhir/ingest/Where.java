package org.salus.fhir.ingest;

/**
 * A place in a source file, for error messages: the file name and an entry index, line or message
 * number. Never holds content.
 */
record Where(String file, String position) {

  static Where file(String file) {
    return new Where(file, "");
  }

  static Where entry(String file, int index) {
    return new Where(file, "entry " + index);
  }

  static Where line(String file, int line) {
    return new Where(file, "line " + line);
  }

  /** This place with the resource it concerns, for example {@code Observation/abc}. */
  Where resource(String typeAndId) {
    return new Where(file, position.isEmpty() ? typeAndId : position + " (" + typeAndId + ")");
  }

  /**
   * A type name, code or reference from the file, repeated only when it looks like one (letters,
   * digits, ^ - . : _, at most 64), so a file cannot smuggle free text into a message through it.
   */
  static String safe(String token) {
    return token.matches("[A-Za-z0-9^_.:\\-]{1,64}") ? token : "(not shown)";
  }

  IngestException error(String code, String what) {
    return new IngestException(code, prefix() + what);
  }

  IngestException error(String code, String what, Throwable cause) {
    return new IngestException(code, prefix() + what, cause);
  }

  private String prefix() {
    return position.isEmpty() ? file + ": " : file + " " + position + ": ";
  }
}
