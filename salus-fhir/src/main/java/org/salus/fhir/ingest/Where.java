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
