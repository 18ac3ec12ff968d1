package org.salus.core.record;

import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A measured value: a laboratory result or vital sign (FHIR Observation with a quantity, HL7 v2 OBX
 * of type NM). Either a numeric value with its unit or a coded value is present.
 */
public record Measurement(
    String recordKey,
    String personKey,
    Optional<String> visitKey,
    Code code,
    LocalDateTime time,
    Optional<Double> value,
    Optional<String> unit,
    Optional<Code> valueCode)
    implements ClinicalRecord {

  public Measurement {
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(personKey, "personKey");
    Objects.requireNonNull(visitKey, "visitKey");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(valueCode, "valueCode");
    value.ifPresent(
        v -> {
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("measurement value is not a finite number");
          }
        });
  }

  @Override
  public AnalyticTable table() {
    return AnalyticTable.MEASUREMENT;
  }
}
