package org.salus.bench.secagg;

import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.salus.core.secagg.AggregationResult;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.SecAggConfig;
import org.salus.core.secagg.SecAggParticipant;
import org.salus.core.secagg.SecAggServer;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;

/**
 * Secure aggregation (issue 7 targets): masking at one node for 10 participants and 1,000,000
 * values (≤ 30 ms), and the hub's unmasking with 3 of 10 dropped after sharing keys (≤ 200 ms).
 * Each invocation needs a fresh one-shot round, prepared outside the measurement.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(time = 3)
@Measurement(time = 3)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SecAggBenchmark {

  static final int PARTICIPANTS = 10;
  static final int VALUES = 1_000_000;

  /** A round of ten carried through key sharing. */
  static final class Round {
    final SecAggServer server;
    final SortedMap<Integer, SecAggParticipant> participants = new TreeMap<>();
    final Map<Integer, ShareDelivery> deliveries;

    Round() {
      SortedSet<Integer> ids =
          new TreeSet<>(IntStream.rangeClosed(1, PARTICIPANTS).boxed().toList());
      SecAggConfig config = SecAggConfig.complete(ids, VALUES, new byte[] {1});
      server = new SecAggServer(config);
      for (int id : ids) {
        participants.put(id, new SecAggParticipant(id, config));
      }
      participants.values().forEach(p -> server.receiveAdvertisement(p.advertiseKeys()));
      KeyDirectory directory = server.closeAdvertisements();
      participants.values().forEach(p -> server.receiveShares(p.shareKeys(directory)));
      deliveries = server.closeShares();
    }
  }

  static long[] input(long seed) {
    return new SplittableRandom(seed).longs(VALUES).toArray();
  }

  @State(Scope.Thread)
  public static class Masking {
    SecAggParticipant node;
    ShareDelivery delivery;
    long[] input = input(1);

    @Setup(Level.Invocation)
    public void round() {
      Round round = new Round();
      node = round.participants.get(1);
      delivery = round.deliveries.get(1);
    }
  }

  @State(Scope.Thread)
  public static class Unmasking {
    SecAggServer server;

    @Setup(Level.Invocation)
    public void round() {
      Round round = new Round();
      server = round.server;
      round.participants.forEach(
          (id, p) -> {
            if (id > 3) { // 1, 2, 3 drop after sharing their keys
              server.receiveMaskedInput(p.maskedInput(round.deliveries.get(id), input(id)));
            }
          });
      Map<Integer, UnmaskRequest> requests = server.closeMaskedInputs();
      requests.forEach((id, r) -> server.receiveUnmasking(round.participants.get(id).unmask(r)));
    }
  }

  /**
   * A whole round among three nodes over a small vector (a federated mean's sufficient statistics),
   * all in one process: what secure aggregation adds in computation, without the network.
   */
  @Benchmark
  public AggregationResult fullRoundThreeNodesEightValues() {
    SortedSet<Integer> ids = new TreeSet<>(java.util.List.of(1, 2, 3));
    SecAggConfig config = SecAggConfig.complete(ids, 8, new byte[] {3});
    SecAggServer server = new SecAggServer(config);
    SortedMap<Integer, SecAggParticipant> nodes = new TreeMap<>();
    ids.forEach(id -> nodes.put(id, new SecAggParticipant(id, config)));
    nodes.values().forEach(p -> server.receiveAdvertisement(p.advertiseKeys()));
    KeyDirectory directory = server.closeAdvertisements();
    nodes.values().forEach(p -> server.receiveShares(p.shareKeys(directory)));
    Map<Integer, ShareDelivery> deliveries = server.closeShares();
    nodes.forEach(
        (id, p) -> server.receiveMaskedInput(p.maskedInput(deliveries.get(id), new long[8])));
    server.closeMaskedInputs().forEach((id, r) -> server.receiveUnmasking(nodes.get(id).unmask(r)));
    return server.finish();
  }

  @Benchmark
  public MaskedInput maskOneNodeTenParticipantsMillionValues(Masking state) {
    return state.node.maskedInput(state.delivery, state.input);
  }

  @Benchmark
  public AggregationResult unmaskTenWithThreeDroppedMillionValues(Unmasking state) {
    return state.server.finish();
  }
}
