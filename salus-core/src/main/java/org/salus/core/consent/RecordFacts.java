package org.salus.core.consent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.salus.core.record.Code;

/**
 * What the decision point needs to know about one record: its class, its codes, its security labels
 * and its clinical date. {@link #person()} stands for the patient as a whole (cohort membership),
 * matched only by provisions that do not restrict record properties.
 */
public record RecordFacts(
    Optional<DataClass> dataClass,
    Set<Code> codes,
    Set<SecurityLabel> labels,
    Optional<Instant> date) {

  private static final RecordFacts PERSON =
      new RecordFacts(Optional.empty(), Set.of(), Set.of(), Optional.empty());

  public RecordFacts {
    Objects.requireNonNull(dataClass, "dataClass");
    codes = Set.copyOf(codes);
    labels = Set.copyOf(labels);
    Objects.requireNonNull(date, "date");
  }

  /** The patient as a whole, for person-level decisions such as cohort membership. */
  public static RecordFacts person() {
    return PERSON;
  }

  /** A record of the class with the given labels and date and no codes. */
  public static RecordFacts of(DataClass dataClass, Set<SecurityLabel> labels, Instant date) {
    return new RecordFacts(Optional.of(dataClass), Set.of(), labels, Optional.of(date));
  }
}
