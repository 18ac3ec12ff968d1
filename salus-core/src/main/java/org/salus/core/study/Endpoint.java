package org.salus.core.study;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.salus.core.record.Code;

/**
 * A time-to-event outcome: days from the index date to the first of the event conditions (or death
 * when {@code deathIsEvent}) after it; persons without an event are censored at death or at the
 * data cut-off, whichever comes first.
 */
public record Endpoint(List<Code> eventConditions, boolean deathIsEvent, LocalDate dataCutoff) {
  public Endpoint {
    eventConditions = List.copyOf(eventConditions);
    Objects.requireNonNull(dataCutoff, "dataCutoff");
  }
}
