package org.salus.core.record;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/** A procedure performed (FHIR Procedure, HL7 v2 PR1). */
public record ProcedureOccurrence(
    String recordKey, String personKey, Optional<String> visitKey, Code code, LocalDate date)
    implements ClinicalRecord {

  public ProcedureOccurrence {
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(personKey, "personKey");
    Objects.requireNonNull(visitKey, "visitKey");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(date, "date");
  }

  @Override
  public AnalyticTable table() {
    return AnalyticTable.PROCEDURE_OCCURRENCE;
  }
}
