package org.salus.core.stats;

import java.util.List;

/** A Kaplan–Meier curve: one point per time with events. */
public record SurvivalCurve(String group, List<Point> points) {

  public SurvivalCurve {
    points = List.copyOf(points);
  }

  /**
   * S(t) just after {@code time}, its Greenwood standard error, and a confidence interval on the
   * log scale (S·exp(±z·σ), σ² = Σ d/(n(n−d)); R survfit's default), clipped to [0, 1].
   */
  public record Point(
      int time,
      long atRisk,
      long events,
      double survival,
      double standardError,
      double lower,
      double upper) {}
}
