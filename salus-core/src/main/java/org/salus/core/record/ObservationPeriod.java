package org.salus.core.record;

import java.time.LocalDate;
import java.util.Objects;

/** A span of time during which the node holds records for a person. */
public record ObservationPeriod(
    String recordKey, String personKey, LocalDate startDate, LocalDate endDate)
    implements ClinicalRecord {

  public ObservationPeriod {
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(personKey, "personKey");
    Objects.requireNonNull(startDate, "startDate");
    Objects.requireNonNull(endDate, "endDate");
    if (endDate.isBefore(startDate)) {
      throw new IllegalArgumentException("observation period ends before it starts");
    }
  }

  @Override
  public AnalyticTable table() {
    return AnalyticTable.OBSERVATION_PERIOD;
  }
}
