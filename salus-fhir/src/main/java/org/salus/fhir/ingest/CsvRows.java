package org.salus.fhir.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into rows (RFC 4180: fields in double quotes may hold the delimiter, line breaks
 * and doubled quotes). Blank lines are skipped.
 */
final class CsvRows {

  /** One row: the line it starts on, its fields, and its text as received. */
  record Row(int line, List<String> fields, String text) {}

  private CsvRows() {}

  static List<Row> split(String text, char delimiter, String file) {
    List<Row> rows = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int line = 1;
    int rowLine = 1;
    int rowStart = 0;
    int i = text.startsWith("\uFEFF") ? 1 : 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
        any = true;
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || !field.isEmpty()) {
          fields.add(field.toString());
          rows.add(new Row(rowLine, List.copyOf(fields), text.substring(rowStart, i).strip()));
        }
        fields.clear();
        field.setLength(0);
        any = false;
        line++;
        rowLine = line;
        rowStart = i + 1;
      } else {
        field.append(c);
        any = true;
      }
    }
    if (quoted) {
      throw Where.line(file, rowLine).error("ingest.csv.quote", "a quoted field is not closed");
    }
    if (any || !field.isEmpty()) {
      fields.add(field.toString());
      rows.add(new Row(rowLine, List.copyOf(fields), text.substring(rowStart).strip()));
    }
    return rows;
  }
}
