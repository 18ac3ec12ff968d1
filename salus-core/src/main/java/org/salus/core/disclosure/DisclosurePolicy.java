package org.salus.core.disclosure;

/**
 * A node's disclosure limits: the minimum cell size (default 5) and the largest ratio of model
 * parameters to the node's N (default 0.33, as DataSHIELD's nfilter.glm).
 */
public record DisclosurePolicy(int minCellSize, double maxParameterRatio) {

  public static final int DEFAULT_MIN_CELL_SIZE = 5;
  public static final double DEFAULT_MAX_PARAMETER_RATIO = 0.33;

  public DisclosurePolicy {
    if (minCellSize < 1) {
      throw new IllegalArgumentException("minCellSize must be at least 1, got " + minCellSize);
    }
    if (!(maxParameterRatio > 0 && maxParameterRatio <= 1)) {
      throw new IllegalArgumentException(
          "maxParameterRatio must be in (0, 1], got " + maxParameterRatio);
    }
  }

  public static DisclosurePolicy defaults() {
    return new DisclosurePolicy(DEFAULT_MIN_CELL_SIZE, DEFAULT_MAX_PARAMETER_RATIO);
  }

  /** The stricter of this policy and a study's requested minimum cell size. */
  public DisclosurePolicy atLeast(int studyMinCellSize) {
    return new DisclosurePolicy(Math.max(minCellSize, studyMinCellSize), maxParameterRatio);
  }

  boolean smallCount(long count) {
    return count > 0 && count < minCellSize;
  }
}
