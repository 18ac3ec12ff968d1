package org.salus.fhir.ingest;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Type;

/**
 * FHIR dates and date-times as local values. A date-time keeps the wall-clock time written in the
 * source (its offset is dropped); a partial date (year, or year and month) becomes its first day.
 */
final class FhirDates {

  private FhirDates() {}

  static LocalDateTime dateTime(BaseDateTimeType t) {
    return LocalDateTime.of(
        t.getYear(), t.getMonth() + 1, t.getDay(), t.getHour(), t.getMinute(), t.getSecond());
  }

  static LocalDate date(BaseDateTimeType t) {
    return LocalDate.of(t.getYear(), t.getMonth() + 1, t.getDay());
  }

  /** The start of a dateTime, instant or Period choice value, if it has one. */
  static Optional<LocalDateTime> start(Type choice) {
    if (choice instanceof BaseDateTimeType t && t.getValue() != null) {
      return Optional.of(dateTime(t));
    }
    if (choice instanceof Period p && p.hasStart()) {
      return Optional.of(dateTime(p.getStartElement()));
    }
    return Optional.empty();
  }

  /** The end of a Period choice value, if it has one. */
  static Optional<LocalDateTime> end(Type choice) {
    if (choice instanceof Period p && p.hasEnd()) {
      return Optional.of(dateTime(p.getEndElement()));
    }
    return Optional.empty();
  }

  static Optional<LocalDateTime> present(BaseDateTimeType t) {
    return t != null && t.getValue() != null ? Optional.of(dateTime(t)) : Optional.empty();
  }
}
