package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.salus.core.keys.SecretBytes;

class MaskingGraphTest {

  private static SecretBytes seed(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return SecretBytes.copyOf(b);
  }

  @Property(tries = 100)
  void hararyGraphIsRegularSymmetricAndDeterministic(
      @ForAll @IntRange(min = 3, max = 60) int n,
      @ForAll @IntRange(min = 1, max = 29) int half,
      @ForAll long s) {
    int k = 2 * Math.min(half, (n - 1) / 2);
    if (k < 2) {
      return;
    }
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(n));
    SecretBytes seed = seed(new Random(s));
    MaskingGraph g = MaskingGraph.harary(ids, k, seed);
    for (int u : ids) {
      assertThat(g.neighbours(u)).hasSize(k).doesNotContain(u);
      for (int v : g.neighbours(u)) {
        assertThat(g.neighbours(v)).contains(u);
      }
      assertThat(MaskingGraph.harary(ids, k, seed).neighbours(u)).isEqualTo(g.neighbours(u));
    }
  }

  @Test
  void seedChoosesTheGraph() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(40));
    MaskingGraph a = MaskingGraph.harary(ids, 6, seed(new Random(1)));
    MaskingGraph b = MaskingGraph.harary(ids, 6, seed(new Random(2)));
    boolean differ = false;
    for (int u : ids) {
      differ |= !a.neighbours(u).equals(b.neighbours(u));
    }
    assertThat(differ).isTrue();
  }

  @Test
  void oddOrTooLargeDegreeIsRefused() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(5));
    for (int k : new int[] {3, 0, 6}) {
      assertThatThrownBy(() -> MaskingGraph.harary(ids, k, seed(new Random(1))))
          .satisfies(
              e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.graph.bad-degree"));
    }
  }

  private static int inside(SortedSet<Integer> neighbourhood, SortedSet<Integer> set) {
    SortedSet<Integer> s = new TreeSet<>(neighbourhood);
    s.retainAll(set);
    return s.size();
  }

  /**
   * SecAgg+: masks cancel for any dropout set in which every neighbourhood keeps at least the
   * threshold of share holders at every phase; otherwise the round fails with a typed error.
   */
  @Property(tries = 60)
  void sparseMasksCancelWhenEveryNeighbourhoodKeepsThreshold(
      @ForAll @IntRange(min = 6, max = 30) int n, @ForAll long s) {
    Random r = new Random(s);
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(n));
    int k = 2 * (1 + r.nextInt((n - 2) / 2));
    int holders = k + 1;
    int t = holders / 2 + 1 + r.nextInt(holders - holders / 2);
    MaskingGraph graph = MaskingGraph.harary(ids, k, seed(r));
    SecAggConfig config = new SecAggConfig(ids, t, 3, new byte[] {9}, graph);
    Map<Integer, long[]> inputs = new HashMap<>();
    Map<Integer, Integer> dropsAt = new HashMap<>();
    for (int id : ids) {
      inputs.put(id, r.longs(3).toArray());
      if (r.nextInt(6) == 0) {
        dropsAt.put(id, r.nextInt(4));
      }
    }
    Simulation sim = new Simulation(config, inputs, dropsAt, s);
    @SuppressWarnings("unchecked")
    SortedSet<Integer>[] alive = new SortedSet[4];
    for (int p = 0; p < 4; p++) {
      alive[p] = new TreeSet<>();
      for (int id : ids) {
        if (sim.alive(id, p)) {
          alive[p].add(id);
        }
      }
    }
    boolean ok = true;
    for (int p = 0; p < 4; p++) {
      ok &= alive[p].size() >= t;
    }
    for (int v : ids) {
      SortedSet<Integer> nv = graph.closedNeighbourhood(v);
      for (int p = 1; p <= 3; p++) {
        if (alive[p].contains(v)) {
          ok &= inside(nv, alive[p - 1]) >= t; // shares to / from / survivors around v
        }
      }
      if (alive[1].contains(v)) {
        ok &= inside(nv, alive[3]) >= t; // enough holders answer to unmask v
      }
    }
    net.jqwik.api.statistics.Statistics.collect(ok ? "exact sum" : "below threshold");
    if (ok) {
      AggregationResult result = sim.run();
      assertThat(result.contributors()).isEqualTo(alive[2]);
      assertThat(result.sum()).isEqualTo(sim.plainSum(alive[2]));
    } else {
      assertThatThrownBy(sim::run).isInstanceOf(SecAggBelowThresholdException.class);
    }
  }
}
