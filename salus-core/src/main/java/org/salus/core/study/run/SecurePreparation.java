package org.salus.core.study.run;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A batch of one-trip secure rounds keyed before their steps are known (docs/secagg-dp.md,
 * "One-trip rounds"): the rounds' ids, this node's participant number among the participants, and
 * the threshold. The node advertises fresh keys for each round; the shares follow in a second
 * message; each step then uses one prepared round.
 */
public record SecurePreparation(
    List<String> roundIds, int participant, SortedSet<Integer> participants, int threshold) {

  /** The most rounds one preparation may key. */
  public static final int MAX_ROUNDS = 64;

  public SecurePreparation {
    roundIds = List.copyOf(roundIds);
    participants = Collections.unmodifiableSortedSet(new TreeSet<>(participants));
    if (roundIds.isEmpty() || roundIds.size() > MAX_ROUNDS) {
      throw new IllegalArgumentException("a preparation keys 1 to " + MAX_ROUNDS + " rounds");
    }
    if (roundIds.stream().distinct().count() != roundIds.size()) {
      throw new IllegalArgumentException("a preparation names a round twice");
    }
    for (String id : roundIds) {
      if (Objects.requireNonNull(id, "round id").isEmpty() || id.length() > 200) {
        throw new IllegalArgumentException("a round id has 1 to 200 characters");
      }
    }
  }
}
