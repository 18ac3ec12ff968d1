package org.salus.core.record;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/** A diagnosis or problem (FHIR Condition, HL7 v2 DG1). */
public record ConditionOccurrence(
    String recordKey,
    String personKey,
    Optional<String> visitKey,
    Code code,
    LocalDate startDate,
    Optional<LocalDate> endDate)
    implements ClinicalRecord {

  public ConditionOccurrence {
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(personKey, "personKey");
    Objects.requireNonNull(visitKey, "visitKey");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(startDate, "startDate");
    Objects.requireNonNull(endDate, "endDate");
  }

  @Override
  public AnalyticTable table() {
    return AnalyticTable.CONDITION_OCCURRENCE;
  }
}
