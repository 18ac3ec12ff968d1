package org.salus.core.stats;

/** Count, sum and sum of squares of a variable: enough for its mean and variance. */
public record Moments(long n, double sum, double sumOfSquares) implements Statistic {

  public Moments plus(Moments o) {
    return new Moments(n + o.n, sum + o.sum, sumOfSquares + o.sumOfSquares);
  }

  /** The summary; mean and variance are NaN when n is too small to define them. */
  public Summary summary() {
    double mean = n == 0 ? Double.NaN : sum / n;
    double variance = n < 2 ? Double.NaN : Math.max(0, (sumOfSquares - sum * sum / n) / (n - 1));
    return new Summary(n, sum, mean, variance);
  }

  /** Count, sum, mean and the sample variance (divisor n − 1). */
  public record Summary(long n, double sum, double mean, double variance) {
    public double standardDeviation() {
      return Math.sqrt(variance);
    }
  }
}
