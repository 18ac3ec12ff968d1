package org.salus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.salus.core.error.SalusException;
import org.salus.core.stats.Moments;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.StepRequest;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.trust.SignedMessage;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.node.NodeOptions;
import org.salus.store.study.StudyJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salus bench federated-mean}: the speed of a federated mean over HTTPS on this machine.
 * Three nodes with synthetic persons start over mutual TLS on loopback; the first proposes a mean
 * study (signed, as a hub does) and the nodes approve it by policy; then the mean is asked of the
 * three nodes in parallel, over and over, as the hub's coordinator asks them. Reported: the join
 * (consent filter and cohort), and the p50/p95/max of one federated mean round (request to every
 * node, SQL aggregate and disclosure control at each, replies summed).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that need running nodes (JMH covers the rest: ./salus-bench/run).",
    subcommands = {BenchCommand.FederatedMean.class})
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  @Command(
      name = "federated-mean",
      mixinStandardHelpOptions = true,
      description = "Time a federated mean across three nodes over mutual TLS on loopback.")
  static final class FederatedMean implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;

    @Option(
        names = "--persons",
        defaultValue = "10000",
        description = "Persons per node (default: ${DEFAULT-VALUE}).")
    int persons;

    @Option(
        names = "--rounds",
        defaultValue = "300",
        description = "Timed rounds after warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--warmup",
        defaultValue = "100",
        description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
        names = "--secagg",
        description =
            "Also time a federated count in secure-aggregation rounds over HTTPS (one-trip and"
                + " classic) against the same count in the clear, and report what they add.")
    boolean secagg;

    /**
     * What {@code --secagg} measured, in milliseconds: per round a plain count, the same count in a
     * one-trip secure round (keys prepared 16 rounds at a time, so every 16th round also pays the
     * preparation: the mean includes it) and in a classic four-phase round.
     */
    record SecureResult(
        int nodes,
        int personsPerNode,
        long pooledN,
        int rounds,
        double plainP50Millis,
        double plainP95Millis,
        double plainMeanMillis,
        double oneTripP50Millis,
        double oneTripP95Millis,
        double oneTripMeanMillis,
        double oneTripMaxMillis,
        double classicP50Millis,
        double classicP95Millis,
        double classicMeanMillis,
        double addedP50Millis,
        double addedMeanMillis,
        double classicAddedP50Millis) {}

    /** What the bench measured, in milliseconds. */
    record Result(
        int nodes,
        int personsPerNode,
        long pooledN,
        double pooledMean,
        double joinMillis,
        int rounds,
        double p50Millis,
        double p95Millis,
        double maxMillis,
        double cpuMillisPerRound) {}

    private static final List<String> NODES = List.of("bench-a", "bench-b", "bench-c");
    private static final String STUDY =
        """
        {"id": "bench-mean", "title": "Mean of a measurement", "purpose": "HRESCH",
         "cohort": {"indexDate": {"fixed": "2025-01-01"}},
         "analyses": [{"type": "summary", "variable": {"type": "measurement", "name": "hba1c",
           "code": {"system": "http://loinc.org", "code": "4548-4"},
           "window": {"from": -3650, "to": 0}}}],
         "nodes": ["bench-a", "bench-b", "bench-c"]}
        """;

    @Override
    public Integer call() throws Exception {
      if (persons < 5 || rounds < 1 || warmup < 0) {
        throw new SalusException(
            "option.invalid", "--persons must be at least 5 and --rounds at least 1");
      }
      Path root = Files.createTempDirectory("salus-bench-");
      List<LocalFederation.Member> members = new ArrayList<>();
      List<ReservedPort> reserved = new ArrayList<>();
      for (int i = 0; i < NODES.size(); i++) {
        Path dir = root.resolve(NODES.get(i));
        try (Node node = NodeDirectory.init(dir, NodeOptions.defaults(NODES.get(i)));
            Connection c = node.store().database().connect()) {
          fill(c, i, persons);
        }
        LocalFederation.run(
            "consent", "defaults", "--dir", dir.toString(), "--set", "HRESCH=opt-out");
        Files.writeString(
            dir.resolve(NodeStudies.POLICY_FILE),
            "{\"autoApprove\": [{\"purposes\": [\"HRESCH\"]}]}");
        ReservedPort port = ReservedPort.take();
        reserved.add(port);
        members.add(new LocalFederation.Member(NODES.get(i), dir, port.port(), "NL"));
      }
      LocalFederation fed = LocalFederation.create(root.resolve("federation"), "bench", members);
      String statusList = fed.statusList();
      List<RunningNode> running = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(NODES.size());
      try {
        for (int i = 0; i < members.size(); i++) {
          LocalFederation.Member m = members.get(i);
          reserved.get(i).close();
          RunningNode n =
              RunningNode.start(
                  m.dir(),
                  new ServerSettings("localhost", m.port()),
                  Optional.empty(),
                  Duration.ofHours(1),
                  line -> {});
          n.node().statusLists().refresh(statusList);
          running.add(n);
        }
        if (secagg) {
          SecureResult r = measureSecure(members, running.get(0), pool);
          reporting.print(
              spec.commandLine().getOut(),
              r,
              String.format(
                  java.util.Locale.ROOT,
                  "Federated count, %d nodes × %,d persons over mutual TLS on loopback (pooled n ="
                      + " %,d), %d rounds each%n"
                      + "  in the clear:             p50 %6.2f ms, p95 %6.2f ms, mean %6.2f ms%n"
                      + "  one-trip secure rounds:   p50 %6.2f ms, p95 %6.2f ms, mean %6.2f ms,"
                      + " max %.2f ms (keys prepared 16 rounds ahead; the mean includes that)%n"
                      + "  classic secure rounds:    p50 %6.2f ms, p95 %6.2f ms, mean %6.2f ms"
                      + " (open, share-keys, masked-input, unmask)%n"
                      + "  added by secure aggregation: one-trip p50 %.2f ms, mean %.2f ms;"
                      + " classic p50 %.2f ms%n",
                  r.nodes(),
                  r.personsPerNode(),
                  r.pooledN(),
                  r.rounds(),
                  r.plainP50Millis(),
                  r.plainP95Millis(),
                  r.plainMeanMillis(),
                  r.oneTripP50Millis(),
                  r.oneTripP95Millis(),
                  r.oneTripMeanMillis(),
                  r.oneTripMaxMillis(),
                  r.classicP50Millis(),
                  r.classicP95Millis(),
                  r.classicMeanMillis(),
                  r.addedP50Millis(),
                  r.addedMeanMillis(),
                  r.classicAddedP50Millis()));
          return 0;
        }
        Result r = measure(members, running.get(0), pool);
        reporting.print(
            spec.commandLine().getOut(),
            r,
            String.format(
                java.util.Locale.ROOT,
                "Federated mean, %d nodes × %,d persons over mutual TLS on loopback (pooled n ="
                    + " %,d, mean %.4f)%n  join (consent filter, cohort): %.1f ms%n  one round,"
                    + " %d rounds: p50 %.2f ms, p95 %.2f ms, max %.2f ms%n  CPU per round (all"
                    + " threads of the client and the three nodes): %.2f ms%n",
                r.nodes(),
                r.personsPerNode(),
                r.pooledN(),
                r.pooledMean(),
                r.joinMillis(),
                r.rounds(),
                r.p50Millis(),
                r.p95Millis(),
                r.maxMillis(),
                r.cpuMillisPerRound()));
        return 0;
      } finally {
        pool.shutdownNow();
        for (RunningNode n : running.reversed()) {
          n.close();
        }
      }
    }

    /**
     * Proposes {@code document} to every member, signed as a hub does; each must approve it by its
     * policy. Returns the members as study nodes, not yet joined.
     */
    private static List<RemoteStudyNode> propose(
        NodeFederation.Start self,
        PeerClient client,
        List<LocalFederation.Member> members,
        String studyId,
        String document)
        throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("study", studyId);
      body.put("document", document);
      body.put("researcher", Map.of("issuer", "bench", "subject", "bench"));
      String signed =
          SignedMessage.sign(self.nodeId(), self.keys().signingKey(), NodeStudies.PROPOSE, body)
              .compact();
      List<RemoteStudyNode> nodes = new ArrayList<>();
      for (LocalFederation.Member m : members) {
        HttpResponse<String> r =
            client.post(
                URI.create(m.url() + "/studies/proposals"),
                "application/jose",
                signed,
                Optional.empty());
        JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        if (!answer.path("state").asText().equals("approved")) {
          throw new SalusException("bench.not-approved", m.id() + " answered " + r.body());
        }
        nodes.add(new RemoteStudyNode(m.id(), URI.create(m.url()), client, studyId, NODES.size()));
      }
      return nodes;
    }

    /** Joins every node to {@code study}; fails naming the first that does not join, and why. */
    private static List<RemoteStudyNode> joined(List<RemoteStudyNode> nodes, Study study) {
      for (RemoteStudyNode n : nodes) {
        Joining joined = n.join(study);
        if (!(joined instanceof Joining.Joined)) {
          throw new SalusException("bench.not-joined", n.name() + " did not join: " + joined);
        }
      }
      return nodes;
    }

    private Result measure(
        List<LocalFederation.Member> members, RunningNode proposer, ExecutorService pool)
        throws Exception {
      NodeFederation.Start self = NodeFederation.load(members.get(0).dir());
      PeerClient client = new PeerClient(proposer.node().tls());
      Study study = StudyJson.read(STUDY);
      List<RemoteStudyNode> nodes = propose(self, client, members, study.id(), STUDY);
      long t0 = System.nanoTime();
      joined(nodes, study);
      double joinMillis = (System.nanoTime() - t0) / 1e6;
      try {
        Moments total = null;
        double[] millis = new double[rounds];
        long cpuStart = 0;
        for (int i = -warmup; i < rounds; i++) {
          if (i == 0) {
            cpuStart = processCpuNanos();
          }
          long start = System.nanoTime();
          List<Future<NodeReply>> replies = new ArrayList<>();
          for (RemoteStudyNode n : nodes) {
            replies.add(pool.submit(() -> n.step(StepRequest.once(0))));
          }
          Moments sum = null;
          for (Future<NodeReply> f : replies) {
            if (!(f.get() instanceof NodeReply.Released released)) {
              throw new SalusException("bench.withheld", "a node did not release: " + f.get());
            }
            Moments m = (Moments) released.statistic();
            sum = sum == null ? m : sum.plus(m);
          }
          if (i >= 0) {
            millis[i] = (System.nanoTime() - start) / 1e6;
          }
          total = sum;
        }
        double cpuPerRound = (processCpuNanos() - cpuStart) / 1e6 / rounds;
        Arrays.sort(millis);
        return new Result(
            nodes.size(),
            persons,
            total.n(),
            total.sum() / total.n(),
            joinMillis,
            rounds,
            millis[(int) Math.floor(0.5 * (rounds - 1))],
            millis[(int) Math.floor(0.95 * (rounds - 1))],
            millis[rounds - 1],
            cpuPerRound);
      } finally {
        nodes.forEach(RemoteStudyNode::close);
      }
    }

    /**
     * CPU time of this process so far (client, nodes, their databases, JIT and GC), which a busy
     * machine's load changes less than the wall time of a round.
     */
    private static long processCpuNanos() {
      return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
              instanceof com.sun.management.OperatingSystemMXBean os
          ? os.getProcessCpuTime()
          : 0;
    }

    private static final String COUNT =
        """
        {"id": "%s", "title": "Count", "purpose": "HRESCH",
         "cohort": {"indexDate": {"fixed": "2025-01-01"}},
         "analyses": [{"type": "count"}],
         "nodes": ["bench-a", "bench-b", "bench-c"]%s}
        """;

    /**
     * A count in the clear and the same count securely aggregated, alternating round by round. The
     * mean itself needs ρ under secure aggregation, whose nodes release a one-round analysis only
     * once; the count's vector has one value, the mean's three, and the protocol's cost at this
     * size is its key agreements and messages, not the vector.
     */
    private SecureResult measureSecure(
        List<LocalFederation.Member> members, RunningNode proposer, ExecutorService pool)
        throws Exception {
      NodeFederation.Start self = NodeFederation.load(members.get(0).dir());
      PeerClient client = new PeerClient(proposer.node().tls());
      String plainDocument = COUNT.formatted("bench-count", "");
      Study plain = StudyJson.read(plainDocument);
      String oneTripDocument =
          COUNT.formatted("bench-count-secure", ", \"privacy\": {\"secureAggregation\": true}");
      Study oneTrip = StudyJson.read(oneTripDocument);
      String classicDocument =
          COUNT.formatted(
              "bench-count-classic",
              ", \"privacy\": {\"secureAggregation\": {\"rounds\": \"classic\"}}");
      Study classic = StudyJson.read(classicDocument);
      List<RemoteStudyNode> plainNodes =
          joined(propose(self, client, members, plain.id(), plainDocument), plain);
      List<RemoteStudyNode> oneTripNodes =
          joined(propose(self, client, members, oneTrip.id(), oneTripDocument), oneTrip);
      List<RemoteStudyNode> classicNodes =
          joined(propose(self, client, members, classic.id(), classicDocument), classic);
      org.salus.core.study.run.StudyCoordinator coordinator =
          new org.salus.core.study.run.StudyCoordinator(
              org.salus.core.stats.FitSettings.defaults(),
              pool,
              new org.salus.store.study.SecureVectors());
      try {
        double[] clear = new double[rounds];
        double[] fast = new double[rounds];
        double[] slow = new double[rounds];
        long n = 0;
        for (int i = -warmup; i < rounds; i++) {
          long start = System.nanoTime();
          List<Future<NodeReply>> replies = new ArrayList<>();
          for (RemoteStudyNode node : plainNodes) {
            replies.add(pool.submit(() -> node.step(StepRequest.once(0))));
          }
          long plainN = 0;
          for (Future<NodeReply> f : replies) {
            if (!(f.get() instanceof NodeReply.Released released)) {
              throw new SalusException("bench.withheld", "a node did not release: " + f.get());
            }
            plainN += ((org.salus.core.stats.CohortSize) released.statistic()).n();
          }
          long t1 = System.nanoTime();
          long fastN = count(coordinator.secureSum(oneTrip, oneTripNodes, StepRequest.once(0)));
          long t2 = System.nanoTime();
          long slowN = count(coordinator.secureSum(classic, classicNodes, StepRequest.once(0)));
          long t3 = System.nanoTime();
          if (fastN != plainN || slowN != plainN) {
            throw new SalusException(
                "bench.mismatch",
                "the secure sums " + fastN + " and " + slowN + " are not the plain " + plainN);
          }
          if (i >= 0) {
            clear[i] = (t1 - start) / 1e6;
            fast[i] = (t2 - t1) / 1e6;
            slow[i] = (t3 - t2) / 1e6;
          }
          n = plainN;
        }
        double clearMean = Arrays.stream(clear).average().orElse(0);
        double fastMean = Arrays.stream(fast).average().orElse(0);
        double slowMean = Arrays.stream(slow).average().orElse(0);
        Arrays.sort(clear);
        Arrays.sort(fast);
        Arrays.sort(slow);
        int p50 = (int) Math.floor(0.5 * (rounds - 1));
        int p95 = (int) Math.floor(0.95 * (rounds - 1));
        return new SecureResult(
            NODES.size(),
            persons,
            n,
            rounds,
            clear[p50],
            clear[p95],
            clearMean,
            fast[p50],
            fast[p95],
            fastMean,
            fast[rounds - 1],
            slow[p50],
            slow[p95],
            slowMean,
            fast[p50] - clear[p50],
            fastMean - clearMean,
            slow[p50] - clear[p50]);
      } finally {
        coordinator.forget(oneTripNodes);
        coordinator.forget(classicNodes);
        plainNodes.forEach(RemoteStudyNode::close);
        oneTripNodes.forEach(RemoteStudyNode::close);
        classicNodes.forEach(RemoteStudyNode::close);
      }
    }

    private static long count(org.salus.core.stats.Statistic s) {
      return ((org.salus.core.stats.CohortSize) s).n();
    }

    /** Persons with one HbA1c measurement each, generated in SQL. */
    private static void fill(Connection c, int node, int n) throws SQLException {
      String p = "n" + node + "-";
      try (Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO person SELECT 'rec-"
                + p
                + "' || i, '"
                + p
                + "' || i, CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END,"
                + " DATE '1940-01-01' + CAST(i % 20000 AS INTEGER), 'day',"
                + " year(DATE '1940-01-01' + CAST(i % 20000 AS INTEGER)) FROM range("
                + n
                + ") t(i)");
        s.execute(
            "INSERT INTO measurement (record_key, person_key, measurement_source_vocabulary,"
                + " measurement_source_code, measurement_datetime, value_as_number) SELECT 'm-"
                + p
                + "' || i, '"
                + p
                + "' || i, 'http://loinc.org', '4548-4', TIMESTAMP '2024-06-01 10:00:00',"
                + " 4.5 + (i % 50) / 10.0 FROM range("
                + n
                + ") t(i)");
      }
    }
  }
}
