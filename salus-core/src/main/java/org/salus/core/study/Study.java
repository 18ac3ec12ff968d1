package org.salus.core.study;

import java.util.List;
import java.util.Objects;

/**
 * A study document: one question, asked of many nodes, answered with aggregates only.
 *
 * @param minNodes how many nodes must contribute to an answer for the researcher to see it (and
 *     must approve the study for the hub to run it); 1 unless the document says more
 */
public record Study(
    String id,
    String title,
    StudyPurpose purpose,
    Cohort cohort,
    List<Analysis> analyses,
    List<String> nodes,
    PrivacyParameters privacy,
    int minNodes) {

  /** A study whose answers need one contributing node. */
  public Study(
      String id,
      String title,
      StudyPurpose purpose,
      Cohort cohort,
      List<Analysis> analyses,
      List<String> nodes,
      PrivacyParameters privacy) {
    this(id, title, purpose, cohort, analyses, nodes, privacy, 1);
  }

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
