package org.salus.core.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.salus.core.dp.Clamp;
import org.salus.core.dp.DistributedNoise;
import org.salus.core.dp.Skellam;

/**
 * The pieces together: each node clamps, encodes in fixed point, adds its Skellam share in
 * fixed-point units, and masks; the hub's unmasked total decodes to the plain clamped sum plus
 * exactly the noise the nodes added, over the nodes that contributed.
 */
class NoisySecureSumTest {

  @Test
  void hubSeesPlainSumPlusTheNodesNoiseOverSurvivors() {
    int n = 5;
    int length = 4;
    long scale = 1; // Skellam sampling is linear in μ: keep Δ small here
    Clamp clamp = new Clamp(0, 120);
    FixedPoint fp = new FixedPoint(0, 120, scale, n);
    DistributedNoise noise =
        DistributedNoise.skellamForRho(0.5, n, clamp.sumSensitivity(scale)); // Δ in ring units
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(n));
    Random r = new Random(12);
    Map<Integer, long[]> masked = new HashMap<>();
    Map<Integer, long[]> plain = new HashMap<>();
    Map<Integer, long[]> added = new HashMap<>();
    for (int id : ids) {
      double[] values = r.doubles(length, -50, 200).toArray(); // some outside the bounds
      long[] encoded = new long[length];
      for (int i = 0; i < length; i++) {
        encoded[i] = fp.encode(clamp.apply(values[i]), i);
      }
      Skellam share = noise.share();
      long[] z = new long[length];
      long[] x = encoded.clone();
      for (int i = 0; i < length; i++) {
        z[i] = share.sample();
        x[i] += z[i];
      }
      plain.put(id, encoded);
      added.put(id, z);
      masked.put(id, x);
    }
    SecAggConfig config = SecAggConfig.complete(ids, length, new byte[] {4, 2});
    Simulation sim = new Simulation(config, masked, Map.of(3, 2), 12); // node 3 drops
    AggregationResult result = sim.run();
    assertThat(result.contributors()).containsExactly(1, 2, 4, 5);
    long[] expected = new long[length];
    for (int id : result.contributors()) {
      for (int i = 0; i < length; i++) {
        expected[i] += plain.get(id)[i] + added.get(id)[i];
      }
    }
    assertThat(result.sum()).isEqualTo(expected);
    double[] decoded = fp.decodeSum(result.sum(), result.contributors().size());
    for (int i = 0; i < length; i++) {
      assertThat(decoded[i]).isEqualTo(expected[i] / (double) scale);
    }
  }
}
