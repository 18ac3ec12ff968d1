package org.salus.core.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The product-limit estimator (Kaplan &amp; Meier, JASA 1958) on summed risk tables, with
 * Greenwood's variance (Greenwood 1926, Reports on Public Health and Medical Subjects 33).
 */
public final class KaplanMeier {

  private KaplanMeier() {}

  /** The curve of one group; times are bin × binDays. */
  public static SurvivalCurve curve(RiskTable table, String group, int binDays, double confidence) {
    double z = Normal.quantile(0.5 + confidence / 2);
    double survival = 1;
    double greenwood = 0;
    List<SurvivalCurve.Point> points = new ArrayList<>();
    for (Map.Entry<Integer, long[]> e : table.byBin(group).entrySet()) {
      long d = e.getValue()[0];
      long n = e.getValue()[2];
      if (d == 0) {
        continue;
      }
      survival *= 1 - (double) d / n;
      greenwood += n > d ? (double) d / ((double) n * (n - d)) : Double.POSITIVE_INFINITY;
      double sigma = Math.sqrt(greenwood);
      double se = survival * sigma;
      double lower = survival > 0 ? survival * Math.exp(-z * sigma) : 0;
      double upper = survival > 0 ? Math.min(1, survival * Math.exp(z * sigma)) : 0;
      points.add(
          new SurvivalCurve.Point(
              e.getKey() * binDays, n, d, survival, Double.isNaN(se) ? 0 : se, lower, upper));
    }
    return new SurvivalCurve(group, points);
  }
}
