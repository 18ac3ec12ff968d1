package org.salus.core.secagg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.salus.core.keys.SecretBytes;

/**
 * Who masks with whom. The complete graph gives the protocol of Bonawitz et al. (CCS 2017); a
 * sparse k-regular graph gives SecAgg+ (Bell et al., CCS 2020, §3): participants are placed on a
 * ring in an order drawn from a shared seed, and each is joined to the k/2 nearest on either side
 * (a Harary graph H(k, n) with randomly permuted labels). A participant's Shamir shares go only to
 * its closed neighbourhood (itself and its neighbours), and its pairwise masks only to neighbours.
 */
public final class MaskingGraph {

  private final Map<Integer, SortedSet<Integer>> neighbours;
  private final int degree;

  private MaskingGraph(Map<Integer, SortedSet<Integer>> neighbours, int degree) {
    this.neighbours = neighbours;
    this.degree = degree;
  }

  /** Every participant is every other's neighbour. */
  public static MaskingGraph complete(SortedSet<Integer> participants) {
    Map<Integer, SortedSet<Integer>> n = new TreeMap<>();
    for (int p : participants) {
      SortedSet<Integer> others = new TreeSet<>(participants);
      others.remove(p);
      n.put(p, Collections.unmodifiableSortedSet(others));
    }
    return new MaskingGraph(Collections.unmodifiableMap(n), participants.size() - 1);
  }

  /**
   * A random k-regular Harary graph over the participants, the order drawn from {@code seed} (which
   * every participant knows, so each computes the same graph). {@code k} must be even and below the
   * number of participants; otherwise use {@link #complete}.
   */
  public static MaskingGraph harary(SortedSet<Integer> participants, int k, SecretBytes seed) {
    int n = participants.size();
    if (k < 2 || k % 2 != 0 || k >= n) {
      throw new SecAggException(
          "secagg.graph.bad-degree",
          "degree " + k + " must be even, at least 2 and below the " + n + " participants");
    }
    List<Integer> ring = shuffled(participants, seed);
    Map<Integer, SortedSet<Integer>> adj = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      SortedSet<Integer> set = new TreeSet<>();
      for (int d = 1; d <= k / 2; d++) {
        set.add(ring.get(Math.floorMod(i + d, n)));
        set.add(ring.get(Math.floorMod(i - d, n)));
      }
      adj.put(ring.get(i), Collections.unmodifiableSortedSet(set));
    }
    return new MaskingGraph(Collections.unmodifiableMap(adj), k);
  }

  /** Fisher–Yates with indices from the AES-CTR stream of the seed (bias below n / 2^64). */
  private static List<Integer> shuffled(SortedSet<Integer> participants, SecretBytes seed) {
    List<Integer> order = new ArrayList<>(participants);
    long[] stream = MaskPrg.expand(seed, order.size());
    for (int i = order.size() - 1; i > 0; i--) {
      int j = (int) Long.remainderUnsigned(stream[i], i + 1L);
      Collections.swap(order, i, j);
    }
    return order;
  }

  /** The participants in the graph. */
  public SortedSet<Integer> participants() {
    return new TreeSet<>(neighbours.keySet());
  }

  /** The neighbours of a participant, not including itself. */
  public SortedSet<Integer> neighbours(int participant) {
    SortedSet<Integer> n = neighbours.get(participant);
    if (n == null) {
      throw new SecAggException(
          "secagg.unknown-participant", "participant " + participant + " is not in the graph");
    }
    return n;
  }

  /** The participant and its neighbours: who holds its shares. */
  public SortedSet<Integer> closedNeighbourhood(int participant) {
    SortedSet<Integer> n = new TreeSet<>(neighbours(participant));
    n.add(participant);
    return n;
  }

  /** Every participant's number of neighbours. */
  public int degree() {
    return degree;
  }
}
