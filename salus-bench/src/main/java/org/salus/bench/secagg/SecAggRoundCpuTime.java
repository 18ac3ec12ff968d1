package org.salus.bench.secagg;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.SecAggConfig;
import org.salus.core.secagg.SecAggParticipant;
import org.salus.core.secagg.SecAggServer;
import org.salus.core.secagg.ShareDelivery;

/**
 * The small round of {@link SecAggBenchmark#fullRoundThreeNodesEightValues} timed in thread CPU
 * time as well as wall time, by phase, so that a figure survives a shared, loaded machine (where
 * JMH's wall time mostly measures the other processes). Prints medians over the measured rounds;
 * with a third argument n, also the two large cases, n times each.
 *
 * <pre>
 * ./mvnw -o -q -B -DskipTests -Dspotless.check.skip=true package -pl salus-bench -am
 * java -cp "salus-bench/target/classes:salus-bench/target/lib/*" \
 *     org.salus.bench.secagg.SecAggRoundCpuTime [warm-up rounds] [measured rounds] [large]
 * </pre>
 */
public final class SecAggRoundCpuTime {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final List<String> PHASES =
      List.of("advertise (key pairs)", "share keys", "masked input", "unmask", "hub");

  private final long[] cpu = new long[PHASES.size()];

  private SecAggRoundCpuTime() {}

  private <T> T timed(int phase, Supplier<T> step) {
    long start = THREADS.getCurrentThreadCpuTime();
    T result = step.get();
    cpu[phase] += THREADS.getCurrentThreadCpuTime() - start;
    return result;
  }

  private void hub(Runnable step) {
    timed(
        4,
        () -> {
          step.run();
          return null;
        });
  }

  /** One round among three nodes over eight values, as in the JMH benchmark. */
  private long[] round() {
    SortedSet<Integer> ids = new TreeSet<>(List.of(1, 2, 3));
    SecAggConfig config = SecAggConfig.complete(ids, 8, new byte[] {3});
    SecAggServer server = new SecAggServer(config);
    SortedMap<Integer, SecAggParticipant> nodes = new TreeMap<>();
    ids.forEach(id -> nodes.put(id, new SecAggParticipant(id, config)));
    nodes.values().forEach(p -> server.receiveAdvertisement(timed(0, p::advertiseKeys)));
    KeyDirectory directory = timed(4, server::closeAdvertisements);
    nodes.values().forEach(p -> server.receiveShares(timed(1, () -> p.shareKeys(directory))));
    Map<Integer, ShareDelivery> deliveries = timed(4, server::closeShares);
    nodes.forEach(
        (id, p) ->
            server.receiveMaskedInput(
                timed(2, () -> p.maskedInput(deliveries.get(id), new long[8]))));
    timed(4, server::closeMaskedInputs)
        .forEach((id, r) -> server.receiveUnmasking(timed(3, () -> nodes.get(id).unmask(r))));
    return timed(4, server::finish).sum();
  }

  public static void main(String[] args) {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    long sink = 0;
    for (int i = 0; i < warmup; i++) {
      sink += new SecAggRoundCpuTime().round()[0];
    }
    long[] wall = new long[measured];
    long[] total = new long[measured];
    long[][] phases = new long[PHASES.size()][measured];
    for (int i = 0; i < measured; i++) {
      SecAggRoundCpuTime r = new SecAggRoundCpuTime();
      long start = System.nanoTime();
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      sink += r.round()[0];
      total[i] = THREADS.getCurrentThreadCpuTime() - cpuStart;
      wall[i] = System.nanoTime() - start;
      for (int p = 0; p < PHASES.size(); p++) {
        phases[p][i] = r.cpu[p];
      }
    }
    System.out.printf(
        Locale.ROOT,
        "three nodes, eight values, %d rounds after %d warm-up (sum %d)%n",
        measured,
        warmup,
        sink);
    print("whole round, wall time", wall);
    print("whole round, thread CPU time", total);
    for (int p = 0; p < PHASES.size(); p++) {
      print("  " + PHASES.get(p) + (p < 4 ? ", all three nodes" : ""), phases[p]);
    }
    int large = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    if (large > 0) {
      large(large);
    }
  }

  /**
   * The two large JMH cases in thread CPU time: one node masking 1,000,000 values among 10, and the
   * hub unmasking with 3 of 10 dropped; {@code repetitions} fresh rounds each (after as many to
   * warm up), the rounds prepared outside the timing.
   */
  private static void large(int repetitions) {
    long[] masking = new long[repetitions];
    long[] unmasking = new long[repetitions];
    long sink = 0;
    for (int i = -repetitions; i < repetitions; i++) {
      SecAggBenchmark.Masking m = new SecAggBenchmark.Masking();
      m.round();
      long start = THREADS.getCurrentThreadCpuTime();
      sink += m.node.maskedInput(m.delivery, m.input).masked()[0];
      long mask = THREADS.getCurrentThreadCpuTime() - start;
      SecAggBenchmark.Unmasking u = new SecAggBenchmark.Unmasking();
      u.round();
      start = THREADS.getCurrentThreadCpuTime();
      sink += u.server.finish().sum()[0];
      long unmask = THREADS.getCurrentThreadCpuTime() - start;
      if (i >= 0) {
        masking[i] = mask;
        unmasking[i] = unmask;
      }
    }
    System.out.printf(Locale.ROOT, "ten participants, 1,000,000 values (sum %d)%n", sink);
    print("masking at one node, thread CPU time", masking);
    print("hub unmasking, 3 of 10 dropped, CPU time", unmasking);
  }

  private static void print(String name, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-42s median %8.1f µs   p10 %8.1f µs   p90 %8.1f µs%n",
        name,
        sorted[sorted.length / 2] / 1e3,
        sorted[sorted.length / 10] / 1e3,
        sorted[sorted.length * 9 / 10] / 1e3);
  }
}
