package org.salus.core.record;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A person. The birth date is already truncated to the node's {@link BirthPrecision}; {@code
 * birthPrecision} says how much of it is meaningful.
 */
public record Person(
    String recordKey, String personKey, Sex sex, LocalDate birthDate, BirthPrecision birthPrecision)
    implements ClinicalRecord {

  public Person {
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(personKey, "personKey");
    Objects.requireNonNull(sex, "sex");
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(birthPrecision, "birthPrecision");
    if (!birthPrecision.truncate(birthDate).equals(birthDate)) {
      throw new IllegalArgumentException("birthDate is more precise than birthPrecision");
    }
  }

  @Override
  public AnalyticTable table() {
    return AnalyticTable.PERSON;
  }
}
