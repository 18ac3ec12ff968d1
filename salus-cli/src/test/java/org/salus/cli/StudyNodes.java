package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.salus.cli.StudyRunCommandTest.Run;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.stats.FitSettings;
import org.salus.core.study.Study;
import org.salus.core.study.run.StudyCoordinator;
import org.salus.core.study.run.StudyNode;
import org.salus.core.study.run.StudyResult;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import org.salus.store.study.LocalStudyNode;
import org.salus.store.study.NodeBudgets;
import org.salus.store.study.NodeDp;
import org.salus.store.study.SecureVectors;

/**
 * Study nodes for the secure-aggregation tests: DuckDB node directories {@code node-0, node-1, …}
 * made by {@code salus node init}, research allowed unless a patient refuses, synthetic persons
 * ({@link StudyDpAnalysesTest#insert}) and a budget limit of 1000; each opened in this process as
 * {@code salus study run} opens it. Closing closes every node opened, newest first.
 */
final class StudyNodes implements AutoCloseable {

  final List<Path> dirs = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();

  /** One node per entry of {@code sizes}, its persons drawn from {@code seed}. */
  StudyNodes(Path tmp, int[] sizes, long seed) throws Exception {
    Random random = new Random(seed);
    for (int i = 0; i < sizes.length; i++) {
      Path dir = tmp.resolve("node-" + i);
      Run init =
          StudyRunCommandTest.salus("node", "init", "--dir", dir.toString(), "--name", "node-" + i);
      assertThat(init.exit()).as(init.err()).isZero();
      Run set =
          StudyRunCommandTest.salus(
              "consent", "defaults", "--dir", dir.toString(), "--set", "HRESCH=opt-out");
      assertThat(set.exit()).as(set.err()).isZero();
      try (Node node = NodeDirectory.open(dir);
          Connection c = node.store().database().connect()) {
        StudyDpAnalysesTest.insert(c, "p" + i, sizes[i], random);
      }
      NodeBudgets.open(dir).setLimit(Optional.empty(), 1000);
      dirs.add(dir);
    }
  }

  /** Every node's releases exact from now on (the budget file's zero-noise test mode). */
  void zeroNoise() throws IOException {
    for (Path dir : dirs) {
      Files.writeString(
          dir.resolve(NodeBudgets.FILE),
          Files.readString(dir.resolve(NodeBudgets.FILE))
              + NodeBudgets.ZERO_NOISE_KEY
              + "="
              + NodeBudgets.ZERO_NOISE_CONSENT
              + "\n");
    }
  }

  /** Node {@code i} without DP, under {@code policy}. */
  LocalStudyNode local(int i, DisclosurePolicy policy) throws Exception {
    return open(i, policy, Optional.empty());
  }

  LocalStudyNode local(int i) throws Exception {
    return local(i, DisclosurePolicy.defaults());
  }

  /** Node {@code i} with DP (its budget file's mode) for researcher alice, seeded by i. */
  LocalStudyNode localDp(int i) throws Exception {
    List<Object> entries = new ArrayList<>();
    NodeDp dp =
        new NodeDp(
            3,
            "alice",
            NodeBudgets.open(dirs.get(i)),
            e -> {
              entries.add(e);
              return entries.size() - 1;
            },
            new SplittableRandom(40 + i));
    return open(i, DisclosurePolicy.defaults(), Optional.of(dp));
  }

  /** Node {@code i} with the given DP, or none. */
  LocalStudyNode open(int i, DisclosurePolicy policy, Optional<NodeDp> dp) throws Exception {
    NodeConsents node = NodeConsents.open(dirs.get(i));
    open.add(node::close);
    Connection c = node.node().store().database().connect();
    open.add(c);
    LocalStudyNode n =
        new LocalStudyNode("node-" + i, c, node.consents(), policy, Instant.now(), dp);
    open.add(n);
    return n;
  }

  /** The study over these nodes in this process, with secure aggregation available. */
  static StudyResult run(Study study, List<? extends StudyNode> nodes) {
    return new StudyCoordinator(FitSettings.defaults(), Runnable::run, new SecureVectors())
        .run(study, nodes);
  }

  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
  }
}
