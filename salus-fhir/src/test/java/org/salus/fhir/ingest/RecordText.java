package org.salus.fhir.ingest;

import java.lang.reflect.RecordComponent;
import org.salus.core.record.ClinicalRecord;

/** Every field of a record as text, through reflection over its components. */
final class RecordText {

  private RecordText() {}

  /**
   * Whether {@code needle} occurs in {@code text} not inside a longer run of letters and digits: a
   * postal code 02472 matches "zip 02472" but not a hex key that happens to contain those digits.
   */
  static boolean containsToken(String text, String needle) {
    return java.util.regex.Pattern.compile(
            "(?<![A-Za-z0-9])" + java.util.regex.Pattern.quote(needle) + "(?![A-Za-z0-9])")
        .matcher(text)
        .find();
  }

  static String of(ClinicalRecord record) {
    StringBuilder s = new StringBuilder();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      try {
        s.append(c.getName()).append('=').append(c.getAccessor().invoke(record)).append('\n');
      } catch (ReflectiveOperationException e) {
        throw new LinkageError("cannot read record component " + c.getName(), e);
      }
    }
    return s.toString();
  }
}
