package org.salus.core.secagg;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Too few participants remain at a phase for the round to continue safely: fewer than the threshold
 * sent their message, or hold shares of a participant to be unmasked. Carries the evidence: the
 * phase, who remained, and the threshold.
 */
public final class SecAggBelowThresholdException extends SecAggException {

  private static final long serialVersionUID = 1L;

  private final String phase;
  private final TreeSet<Integer> remaining;
  private final int threshold;

  public SecAggBelowThresholdException(String phase, SortedSet<Integer> remaining, int threshold) {
    super(
        "secagg.below-threshold",
        "phase "
            + phase
            + ": "
            + remaining.size()
            + " participants remain "
            + remaining
            + ", threshold is "
            + threshold);
    this.phase = phase;
    this.remaining = new TreeSet<>(remaining);
    this.threshold = threshold;
  }

  public String phase() {
    return phase;
  }

  public SortedSet<Integer> remaining() {
    return new TreeSet<>(remaining);
  }

  public int threshold() {
    return threshold;
  }
}
