package org.salus.core.study.run;

import java.util.Objects;
import org.salus.core.secagg.ShareDelivery;

/**
 * One step in a prepared one-trip round: the step, the round it uses, the length of the integer
 * vector every node contributes, and the shares the other participants encrypted to this node.
 */
public record SecureStep(
    String roundId, StepRequest step, int vectorLength, ShareDelivery delivery) {
  public SecureStep {
    Objects.requireNonNull(roundId, "roundId");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(delivery, "delivery");
    if (vectorLength < 0) {
      throw new IllegalArgumentException("a vector length is not negative");
    }
  }
}
