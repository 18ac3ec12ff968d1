package org.salus.core.secagg;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The round's outcome: the exact sum mod 2^64 of the contributors' inputs, who contributed, and who
 * dropped out (at any phase).
 */
public record AggregationResult(
    long[] sum, SortedSet<Integer> contributors, SortedSet<Integer> dropped) {
  public AggregationResult {
    sum = sum.clone();
    contributors = Collections.unmodifiableSortedSet(new TreeSet<>(contributors));
    dropped = Collections.unmodifiableSortedSet(new TreeSet<>(dropped));
  }

  @Override
  public long[] sum() {
    return sum.clone();
  }
}
