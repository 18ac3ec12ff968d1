package org.salus.core.study;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.salus.core.record.Code;

/** The day from which a person's ages, windows and follow-up are counted. */
public sealed interface IndexDate {

  /** The same calendar date for everyone. */
  record Fixed(LocalDate date) implements IndexDate {
    public Fixed {
      Objects.requireNonNull(date, "date");
    }
  }

  /**
   * The first recorded start of any of these conditions; persons without one are not in the cohort.
   */
  record FirstCondition(List<Code> codes) implements IndexDate {
    public FirstCondition {
      codes = List.copyOf(codes);
    }
  }
}
