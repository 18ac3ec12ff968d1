package org.salus.core.study;

import java.util.List;
import java.util.Objects;

/** A study document: one question, asked of many nodes, answered with aggregates only. */
public record Study(
    String id,
    String title,
    StudyPurpose purpose,
    Cohort cohort,
    List<Analysis> analyses,
    List<String> nodes,
    PrivacyParameters privacy) {

  public Study {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(cohort, "cohort");
    analyses = List.copyOf(analyses);
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(privacy, "privacy");
  }
}
