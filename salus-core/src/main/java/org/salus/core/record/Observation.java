package org.salus.core.record;

import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A clinical fact that is not a measurement: a survey answer, a social-history item, an
 * immunization, an allergy (OMOP observation). Only coded values are kept; free text never reaches
 * the analytic tables.
 */
public record Observation(
    String recordKey,
    String personKey,
    Optional<String> visitKey,
    Code code,
    LocalDateTime time,
    Optional<Code> valueCode)
    implements ClinicalRecord {

  public Observation {
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(personKey, "personKey");
    Objects.requireNonNull(visitKey, "visitKey");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(valueCode, "valueCode");
  }

  @Override
  public AnalyticTable table() {
    return AnalyticTable.OBSERVATION;
  }
}
