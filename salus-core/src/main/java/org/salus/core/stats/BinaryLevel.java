package org.salus.core.stats;

/** How many of {@code total} persons have value 1 for a binary variable (for disclosure checks). */
public record BinaryLevel(String variable, long ones, long total) {
  public long zeros() {
    return total - ones;
  }
}
