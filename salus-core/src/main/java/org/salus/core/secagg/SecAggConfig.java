package org.salus.core.secagg;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One secure-aggregation round's public parameters, known to the server and every participant.
 *
 * @param participants the participant identifiers (at least 1 each; they are the Shamir
 *     x-coordinates)
 * @param threshold how many holders of a participant's shares must remain to unmask it; also the
 *     fewest participants the round continues with. Must exceed half the share holders, so that two
 *     disjoint sets of holders cannot both reconstruct (Bonawitz et al. 2017, §4)
 * @param vectorLength the number of ring elements each participant contributes, or {@link
 *     #AT_INPUT} for a round keyed before its data is known (a one-trip round): the first masked
 *     input fixes the length and every other must match it
 * @param roundId a unique identifier of this round; salts every derived key
 * @param graph who masks with whom (complete: Bonawitz et al.; sparse: SecAgg+)
 */
public record SecAggConfig(
    SortedSet<Integer> participants,
    int threshold,
    int vectorLength,
    byte[] roundId,
    MaskingGraph graph) {

  /** The vector length of a round prepared before its step: set by the inputs themselves. */
  public static final int AT_INPUT = -1;

  public SecAggConfig {
    participants = Collections.unmodifiableSortedSet(new TreeSet<>(participants));
    roundId = roundId.clone();
    if (participants.isEmpty() || participants.first() < 1) {
      throw new SecAggException(
          "secagg.config.bad-participants", "participant identifiers must be positive integers");
    }
    if (!graph.participants().equals(participants)) {
      throw new SecAggException(
          "secagg.config.bad-graph", "the masking graph is over other participants");
    }
    int holders = graph.degree() + 1;
    if (threshold * 2 <= holders || threshold > holders) {
      throw new SecAggException(
          "secagg.config.bad-threshold",
          "threshold "
              + threshold
              + " must be above half of and at most the "
              + holders
              + " holders of each participant's shares");
    }
    if (vectorLength < AT_INPUT || roundId.length == 0) {
      throw new SecAggException(
          "secagg.config.bad-vector",
          "vector length must be non-negative (or AT_INPUT) and round id non-empty");
    }
  }

  /** The protocol of Bonawitz et al. with the default threshold ⌈2n/3⌉. */
  public static SecAggConfig complete(
      SortedSet<Integer> participants, int vectorLength, byte[] roundId) {
    int n = participants.size();
    int threshold = Math.max((2 * n + 2) / 3, n / 2 + 1);
    return new SecAggConfig(
        participants, threshold, vectorLength, roundId, MaskingGraph.complete(participants));
  }

  @Override
  public byte[] roundId() {
    return roundId.clone();
  }

  @Override
  public String toString() {
    return "SecAggConfig[participants="
        + participants
        + ", threshold="
        + threshold
        + ", vectorLength="
        + vectorLength
        + ", degree="
        + graph.degree()
        + "]";
  }
}
