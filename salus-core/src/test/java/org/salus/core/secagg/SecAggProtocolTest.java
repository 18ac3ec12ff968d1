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

class SecAggProtocolTest {

  private static final byte[] ROUND = {7, 7, 7};

  private static Map<Integer, long[]> randomInputs(SortedSet<Integer> ids, int length, Random r) {
    Map<Integer, long[]> inputs = new HashMap<>();
    for (int id : ids) {
      inputs.put(id, r.longs(length).toArray());
    }
    return inputs;
  }

  /** Survivors at phase p: those alive at every phase up to p. */
  private static SortedSet<Integer> alive(Simulation s, int phase) {
    SortedSet<Integer> out = new TreeSet<>();
    for (int id : s.config.participants()) {
      if (s.alive(id, phase)) {
        out.add(id);
      }
    }
    return out;
  }

  @Property(tries = 150)
  void sumIsExactOverSurvivorsOrFailsBelowThreshold(
      @ForAll @IntRange(min = 3, max = 10) int n,
      @ForAll @IntRange(min = 0, max = 8) int length,
      @ForAll long seed) {
    Random r = new Random(seed);
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(n));
    SecAggConfig config = SecAggConfig.complete(ids, length, ROUND);
    Map<Integer, Integer> dropsAt = new HashMap<>();
    for (int id : ids) {
      if (r.nextInt(4) == 0) {
        dropsAt.put(id, r.nextInt(4));
      }
    }
    Simulation sim = new Simulation(config, randomInputs(ids, length, r), dropsAt, seed);
    int t = config.threshold();
    boolean enough = true;
    for (int phase = 0; phase < 4; phase++) {
      enough &= alive(sim, phase).size() >= t;
    }
    net.jqwik.api.statistics.Statistics.collect(enough ? "exact sum" : "below threshold");
    if (enough) {
      AggregationResult result = sim.run();
      SortedSet<Integer> contributors = alive(sim, 2);
      assertThat(result.contributors()).isEqualTo(contributors);
      assertThat(result.sum()).isEqualTo(sim.plainSum(contributors));
      SortedSet<Integer> dropped = new TreeSet<>(ids);
      dropped.removeAll(contributors);
      assertThat(result.dropped()).isEqualTo(dropped);
    } else {
      assertThatThrownBy(sim::run)
          .isInstanceOf(SecAggBelowThresholdException.class)
          .satisfies(
              e -> {
                var b = (SecAggBelowThresholdException) e;
                assertThat(b.code()).isEqualTo("secagg.below-threshold");
                assertThat(b.remaining().size()).isLessThan(t);
                assertThat(b.threshold()).isEqualTo(t);
              });
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "three of ten drop at phase {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3})
  void threeOfTenDropAtEachPhaseAndTheSumIsExact(int phase) {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(10));
    SecAggConfig config = SecAggConfig.complete(ids, 100, ROUND);
    assertThat(config.threshold()).isEqualTo(7);
    Map<Integer, Integer> dropsAt = Map.of(2, phase, 5, phase, 9, phase);
    Simulation sim = new Simulation(config, randomInputs(ids, 100, new Random(phase)), dropsAt, 1);
    AggregationResult result = sim.run();
    if (phase < 3) {
      assertThat(result.contributors()).containsExactly(1, 3, 4, 6, 7, 8, 10);
      assertThat(result.dropped()).containsExactly(2, 5, 9);
    } else { // their masked inputs arrived: they count, and the others unmask them
      assertThat(result.contributors()).isEqualTo(ids);
      assertThat(result.dropped()).isEmpty();
    }
    assertThat(result.sum()).isEqualTo(sim.plainSum(result.contributors()));
  }

  @Test
  void fourOfTenDroppingLeavesTooFew() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(10));
    SecAggConfig config = SecAggConfig.complete(ids, 1, ROUND);
    Map<Integer, Integer> dropsAt = Map.of(1, 2, 2, 2, 3, 3, 4, 3);
    Simulation sim = new Simulation(config, randomInputs(ids, 1, new Random(5)), dropsAt, 5);
    assertThatThrownBy(sim::run)
        .isInstanceOfSatisfying(
            SecAggBelowThresholdException.class,
            e -> {
              assertThat(e.phase()).isEqualTo("unmask");
              assertThat(e.remaining()).containsExactly(5, 6, 7, 8, 9, 10);
            });
  }

  @Test
  void maskedInputRevealsNothingObviousAlone() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(3));
    SecAggConfig config = SecAggConfig.complete(ids, 4, ROUND);
    Map<Integer, long[]> inputs = Map.of(1, new long[4], 2, new long[4], 3, new long[4]);
    SecAggServer server = new SecAggServer(config);
    Simulation sim = new Simulation(config, inputs, Map.of(), 3);
    sim.participants.values().forEach(p -> server.receiveAdvertisement(p.advertiseKeys()));
    KeyDirectory dir = server.closeAdvertisements();
    sim.participants.values().forEach(p -> server.receiveShares(p.shareKeys(dir)));
    Map<Integer, ShareDelivery> d = server.closeShares();
    MaskedInput y = sim.participants.get(1).maskedInput(d.get(1), new long[4]);
    assertThat(y.masked()).isNotEqualTo(new long[4]);
  }

  @Test
  void participantRefusesRequestForBothSharesOfOnePeer() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(4));
    SecAggConfig config = SecAggConfig.complete(ids, 2, ROUND);
    Simulation sim = new Simulation(config, randomInputs(ids, 2, new Random(2)), Map.of(), 2);
    SecAggServer server = sim.server;
    sim.participants.values().forEach(p -> server.receiveAdvertisement(p.advertiseKeys()));
    KeyDirectory dir = server.closeAdvertisements();
    sim.participants.values().forEach(p -> server.receiveShares(p.shareKeys(dir)));
    Map<Integer, ShareDelivery> d = server.closeShares();
    sim.participants.forEach(
        (id, p) -> server.receiveMaskedInput(p.maskedInput(d.get(id), sim.inputs.get(id))));
    UnmaskRequest malicious =
        new UnmaskRequest(
            1, new TreeSet<>(Simulation.range(4)), new TreeSet<>(java.util.Set.of(3)));
    assertThatThrownBy(() -> sim.participants.get(1).unmask(malicious))
        .isInstanceOf(SecAggException.class)
        .satisfies(
            e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.refused.both-shares"))
        .hasMessageContaining("[3]");
    // Refused means finished: it cannot be asked again, even correctly.
    UnmaskRequest honest =
        new UnmaskRequest(1, new TreeSet<>(Simulation.range(4)), new TreeSet<>());
    assertThatThrownBy(() -> sim.participants.get(1).unmask(honest))
        .satisfies(e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.out-of-order"));
  }

  @Test
  void participantRefusesToBeDeclaredDroppedOrToSkipShares() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(4));
    SecAggConfig config = SecAggConfig.complete(ids, 1, ROUND);
    for (UnmaskRequest bad :
        java.util.List.of(
            new UnmaskRequest(
                1, new TreeSet<>(java.util.Set.of(2, 3, 4)), new TreeSet<>(java.util.Set.of(1))),
            new UnmaskRequest(1, new TreeSet<>(java.util.Set.of(1, 2, 3)), new TreeSet<>()))) {
      Simulation sim = new Simulation(config, randomInputs(ids, 1, new Random(3)), Map.of(), 3);
      SecAggServer server = sim.server;
      sim.participants.values().forEach(p -> server.receiveAdvertisement(p.advertiseKeys()));
      KeyDirectory dir = server.closeAdvertisements();
      sim.participants.values().forEach(p -> server.receiveShares(p.shareKeys(dir)));
      Map<Integer, ShareDelivery> d = server.closeShares();
      SecAggParticipant p1 = sim.participants.get(1);
      p1.maskedInput(d.get(1), sim.inputs.get(1));
      assertThatThrownBy(() -> p1.unmask(bad))
          .satisfies(
              e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.refused.request"));
    }
  }

  @Test
  void callsOutOfOrderOrTwiceThrow() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(3));
    SecAggConfig config = SecAggConfig.complete(ids, 1, ROUND);
    SecAggParticipant p = new SecAggParticipant(1, config, Simulation.seeded(1));
    assertThatThrownBy(() -> p.unmask(new UnmaskRequest(1, new TreeSet<>(), new TreeSet<>())))
        .satisfies(e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.out-of-order"));
    AdvertiseKeys keys = p.advertiseKeys();
    assertThatThrownBy(p::advertiseKeys)
        .satisfies(e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.out-of-order"));
    SecAggServer server = new SecAggServer(config);
    server.receiveAdvertisement(keys);
    assertThatThrownBy(() -> server.receiveAdvertisement(keys))
        .satisfies(
            e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.protocol.duplicate"));
    assertThatThrownBy(server::finish)
        .satisfies(e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.out-of-order"));
  }

  @Test
  void tamperedCiphertextFailsWithoutDetail() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(3));
    SecAggConfig config = SecAggConfig.complete(ids, 1, ROUND);
    Simulation sim = new Simulation(config, randomInputs(ids, 1, new Random(4)), Map.of(), 4);
    SecAggServer server = sim.server;
    sim.participants.values().forEach(p -> server.receiveAdvertisement(p.advertiseKeys()));
    KeyDirectory dir = server.closeAdvertisements();
    sim.participants.values().forEach(p -> server.receiveShares(p.shareKeys(dir)));
    ShareDelivery d = server.closeShares().get(1);
    java.util.SortedMap<Integer, byte[]> tampered =
        new java.util.TreeMap<>(d.ciphertextsBySender());
    byte[] c = tampered.get(2).clone();
    c[c.length - 1] ^= 1;
    tampered.put(2, c);
    SecAggParticipant p1 = sim.participants.get(1);
    p1.maskedInput(new ShareDelivery(1, tampered), sim.inputs.get(1));
    assertThatThrownBy(() -> p1.unmask(new UnmaskRequest(1, new TreeSet<>(ids), new TreeSet<>())))
        .satisfies(
            e ->
                assertThat(((SecAggException) e).code())
                    .isEqualTo("secagg.share.decryption-failed"));
  }

  @Test
  void thresholdMustExceedHalf() {
    SortedSet<Integer> ids = new TreeSet<>(Simulation.range(6));
    assertThatThrownBy(() -> new SecAggConfig(ids, 3, 1, ROUND, MaskingGraph.complete(ids)))
        .satisfies(
            e -> assertThat(((SecAggException) e).code()).isEqualTo("secagg.config.bad-threshold"));
  }
}
