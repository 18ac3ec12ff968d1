package org.salus.core.record;

import java.time.LocalDate;

/** How precisely a node stores birth dates. The default, {@link #MONTH}, keeps year and month. */
public enum BirthPrecision {
  YEAR,
  MONTH,
  DAY;

  /** Truncates a birth date to this precision: the first day of its year or month, or itself. */
  public LocalDate truncate(LocalDate birthDate) {
    return switch (this) {
      case YEAR -> birthDate.withDayOfYear(1);
      case MONTH -> birthDate.withDayOfMonth(1);
      case DAY -> birthDate;
    };
  }
}
