package org.salus.core.record;

import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A visit (FHIR Encounter, HL7 v2 PV1). {@code visitClass} is the encounter class code (AMB, IMP,
 * EMER, ...); {@code type} the coded visit type where one was given.
 */
public record VisitOccurrence(
    String recordKey,
    String personKey,
    String visitClass,
    Optional<Code> type,
    LocalDateTime start,
    Optional<LocalDateTime> end)
    implements ClinicalRecord {

  public VisitOccurrence {
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(personKey, "personKey");
    Objects.requireNonNull(visitClass, "visitClass");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  @Override
  public AnalyticTable table() {
    return AnalyticTable.VISIT_OCCURRENCE;
  }
}
