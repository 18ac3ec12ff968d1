package org.salus.core.study;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.salus.core.record.Sex;

/**
 * Who is in a study: persons with an index date who meet every inclusion criterion, none of the
 * exclusion criteria, and the age and sex limits.
 */
public record Cohort(
    IndexDate indexDate,
    List<Criterion> inclusion,
    List<Criterion> exclusion,
    Optional<AgeRange> age,
    List<Sex> sexes) {

  public Cohort {
    Objects.requireNonNull(indexDate, "indexDate");
    inclusion = List.copyOf(inclusion);
    exclusion = List.copyOf(exclusion);
    Objects.requireNonNull(age, "age");
    sexes = List.copyOf(sexes);
  }
}
