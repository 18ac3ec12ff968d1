package org.salus.core.study;

/**
 * One thing wrong with a study document: the field (a path such as {@code analyses[2].edges}) and
 * why.
 */
public record StudyProblem(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
