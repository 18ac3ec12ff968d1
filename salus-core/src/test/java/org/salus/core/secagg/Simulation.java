package org.salus.core.secagg;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An in-memory round: every participant and the server in one process, with participants dropping
 * out at the phase given for each (0: never advertise ... 3: never answer the unmask request;
 * absent: stays to the end).
 */
final class Simulation {

  final SecAggConfig config;
  final SecAggServer server;
  final SortedMap<Integer, SecAggParticipant> participants = new TreeMap<>();
  final Map<Integer, long[]> inputs;
  final Map<Integer, Integer> dropsAt;

  Simulation(
      SecAggConfig config, Map<Integer, long[]> inputs, Map<Integer, Integer> dropsAt, long seed) {
    this.config = config;
    this.server = new SecAggServer(config);
    this.inputs = inputs;
    this.dropsAt = dropsAt;
    for (int id : config.participants()) {
      participants.put(id, new SecAggParticipant(id, config, seeded(seed * 1000 + id)));
    }
  }

  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  boolean alive(int id, int phase) {
    return dropsAt.getOrDefault(id, Integer.MAX_VALUE) > phase;
  }

  AggregationResult run() {
    participants.forEach(
        (id, p) -> {
          if (alive(id, 0)) {
            server.receiveAdvertisement(p.advertiseKeys());
          }
        });
    KeyDirectory directory = server.closeAdvertisements();
    participants.forEach(
        (id, p) -> {
          if (alive(id, 1) && directory.keys().containsKey(id)) {
            server.receiveShares(p.shareKeys(directory));
          }
        });
    Map<Integer, ShareDelivery> deliveries = server.closeShares();
    deliveries.forEach(
        (id, d) -> {
          if (alive(id, 2)) {
            server.receiveMaskedInput(participants.get(id).maskedInput(d, inputs.get(id)));
          }
        });
    Map<Integer, UnmaskRequest> requests = server.closeMaskedInputs();
    requests.forEach(
        (id, r) -> {
          if (alive(id, 3)) {
            server.receiveUnmasking(participants.get(id).unmask(r));
          }
        });
    return server.finish();
  }

  /** The plain sum mod 2^64 of the given participants' inputs. */
  long[] plainSum(Set<Integer> ids) {
    long[] sum = new long[config.vectorLength()];
    for (int id : ids) {
      long[] x = inputs.get(id);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += x[i];
      }
    }
    return sum;
  }

  static List<Integer> range(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).boxed().toList();
  }
}
