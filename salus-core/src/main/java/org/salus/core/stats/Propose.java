package org.salus.core.stats;

/**
 * A fit's request to the nodes: compute your statistics at {@code beta} (for a GLM, intercept
 * first) in round {@code iteration}. Shared by {@link GlmFit} and {@link CoxFit}, whose steps are
 * either this or their own result.
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString compare contents
public record Propose(int iteration, double[] beta) implements GlmFit.Step, CoxFit.Step {
  public Propose {
    beta = beta.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Propose p
        && iteration == p.iteration
        && java.util.Arrays.equals(beta, p.beta);
  }

  @Override
  public int hashCode() {
    return 31 * iteration + java.util.Arrays.hashCode(beta);
  }

  @Override
  public String toString() {
    return "Propose[iteration=" + iteration + ", beta=" + java.util.Arrays.toString(beta) + "]";
  }

  @Override
  public double[] beta() {
    return beta.clone();
  }
}
