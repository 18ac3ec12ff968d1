package org.salus.core.study;

/**
 * Days relative to the index date, both ends included: {@code new Window(-365, 0)} is the year up
 * to and including the index date.
 */
public record Window(int fromDays, int toDays) {

  /** Everything up to and including the index date. */
  public static Window untilIndex() {
    return new Window(-365 * 200, 0);
  }

  public boolean isEmpty() {
    return fromDays > toDays;
  }
}
