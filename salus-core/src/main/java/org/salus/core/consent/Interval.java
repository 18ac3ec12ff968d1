package org.salus.core.consent;

import java.time.Instant;
import java.util.Optional;

/**
 * A half-open time interval {@code [start, end)}; either end may be open. FHIR's {@code Period} is
 * closed, but a half-open interval makes "ten days from now" end exactly when it says.
 */
public record Interval(Optional<Instant> start, Optional<Instant> end) {

  public Interval {
    if (start.isPresent() && end.isPresent() && end.get().isBefore(start.get())) {
      throw new ConsentException(
          "consent.period.reversed",
          "an interval ends before it starts: " + start.get() + " > " + end.get());
    }
  }

  public static Interval between(Instant start, Instant end) {
    return new Interval(Optional.of(start), Optional.of(end));
  }

  public static Interval from(Instant start) {
    return new Interval(Optional.of(start), Optional.empty());
  }

  public static Interval until(Instant end) {
    return new Interval(Optional.empty(), Optional.of(end));
  }

  /** Whether the instant lies in {@code [start, end)}. */
  public boolean contains(Instant t) {
    return start.map(s -> !t.isBefore(s)).orElse(true) && end.map(t::isBefore).orElse(true);
  }
}
