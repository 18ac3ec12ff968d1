package org.salus.core.record;

import java.time.LocalDate;
import java.util.Objects;

/** A person's death. {@code recordKey} equals the person's record key: one death per person. */
public record Death(String recordKey, String personKey, LocalDate date) implements ClinicalRecord {

  public Death {
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(personKey, "personKey");
    Objects.requireNonNull(date, "date");
  }

  @Override
  public AnalyticTable table() {
    return AnalyticTable.DEATH;
  }
}
