package org.salus.core.study.run;

import java.util.List;

/**
 * One step the coordinator asks of a node: analysis {@code analysis} of the joined study (index in
 * {@code Study.analyses()}), and for an iterative fit (GLM, Cox) the round and the coefficients β
 * to evaluate at (empty for one-round analyses). This is the hub↔node contract's request.
 */
public record StepRequest(int analysis, int iteration, List<Double> beta) {

  public StepRequest {
    if (analysis < 0 || iteration < 0) {
      throw new IllegalArgumentException("analysis and iteration must be at least 0");
    }
    beta = List.copyOf(beta);
  }

  /** A one-round analysis. */
  public static StepRequest once(int analysis) {
    return new StepRequest(analysis, 0, List.of());
  }

  /** One round of an iterative fit at β. */
  public static StepRequest at(int analysis, int iteration, double[] beta) {
    return new StepRequest(analysis, iteration, java.util.Arrays.stream(beta).boxed().toList());
  }

  /** β as an array. */
  public double[] betaArray() {
    return beta.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
