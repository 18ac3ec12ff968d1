package org.salus.core.study.run;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One secure-aggregation round of one step, as the hub announces it to a node: the step, the
 * round's id (salting every key of the round), the node's participant number among the round's
 * participants, the threshold and the length of the integer vector every node contributes.
 */
public record SecureRound(
    String roundId,
    StepRequest step,
    int participant,
    SortedSet<Integer> participants,
    int threshold,
    int vectorLength) {

  public SecureRound {
    Objects.requireNonNull(roundId, "roundId");
    Objects.requireNonNull(step, "step");
    participants = Collections.unmodifiableSortedSet(new TreeSet<>(participants));
    if (roundId.isEmpty() || roundId.length() > 200) {
      throw new IllegalArgumentException("a round id has 1 to 200 characters");
    }
  }
}
