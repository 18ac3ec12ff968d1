package org.salus.core.stats;

/** One fitted parameter with its Wald standard error, z, two-sided p and confidence interval. */
public record Coefficient(
    String name,
    double estimate,
    double standardError,
    double z,
    double p,
    double lower,
    double upper) {

  static Coefficient wald(String name, double estimate, double variance, double zCritical) {
    double se = Math.sqrt(variance);
    double z = estimate / se;
    return new Coefficient(
        name,
        estimate,
        se,
        z,
        Normal.twoSidedP(z),
        estimate - zCritical * se,
        estimate + zCritical * se);
  }
}
