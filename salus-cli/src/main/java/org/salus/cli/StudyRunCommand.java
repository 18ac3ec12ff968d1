package org.salus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.error.SalusException;
import org.salus.core.stats.FitSettings;
import org.salus.core.study.Study;
import org.salus.core.study.run.StudyCoordinator;
import org.salus.core.study.run.StudyResult;
import org.salus.store.node.NodeLedger;
import org.salus.store.study.LocalStudyNode;
import org.salus.store.study.NodeBudgets;
import org.salus.store.study.NodeDp;
import org.salus.store.study.StudyJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code salus study run SPEC --node D1 --node D2 ...}: runs a study over node directories in this
 * process. Each node selects its consented population and answers every step through its own
 * disclosure control; only released sums reach the coordinator.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a study document over local node directories and print the pooled results.",
      "Each node selects only persons whose consent permits the study's purpose and checks",
      "disclosure on every step; a node that withholds or fails is named with the reason."
    })
final class StudyRunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Parameters(index = "0", paramLabel = "SPEC", description = "The study document (JSON).")
  Path specFile;

  @Option(
      names = "--node",
      required = true,
      paramLabel = "DIR",
      description = "A node directory; repeat for every node.")
  List<Path> nodes;

  @Option(
      names = "--researcher",
      paramLabel = "ID",
      defaultValue = "default",
      description = "Whose privacy budget a study with ρ is charged to at every node.")
  String researcher;

  @Option(
      names = "--receipt",
      paramLabel = "FILE",
      description = "Write the privacy receipt (JSON) of a study with ρ to FILE.")
  Path receiptFile;

  @Override
  public Integer call() {
    Study study = read(specFile);
    Ran ran = run(study, nodes, researcher, java.util.Optional.empty());
    if (ran.receipt().map(StudyReceipt::zeroNoise).orElse(false)) {
      spec.commandLine().getErr().println("WARNING: " + StudyReceipt.ZERO_NOISE);
    }
    reporting.print(spec.commandLine().getOut(), ran.result(), StudyReport.text(ran.result()));
    if (receiptFile != null) {
      StudyReceipt receipt =
          ran.receipt()
              .orElseThrow(
                  () ->
                      new SalusException(
                          "study.receipt.none", "the study asks for no ρ; there is no receipt"));
      receipt.write(receiptFile);
    }
    return 0;
  }

  /** A study's result and, when it asked for ρ, its privacy receipt. */
  record Ran(StudyResult result, java.util.Optional<StudyReceipt> receipt) {}

  static Study read(Path file) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new SalusException("study.read.failed", "cannot read the study document " + file);
    }
    return StudyJson.read(json);
  }

  /** Opens every node, runs the study and closes them again. */
  static StudyResult run(Study study, List<Path> dirs) {
    return run(study, dirs, "default", java.util.Optional.empty()).result();
  }

  /**
   * Opens every node, runs the study, writes the receipt of a study with ρ and closes the nodes.
   * {@code random} replaces the nodes' {@link java.security.SecureRandom} noise source, for tests.
   */
  static Ran run(
      Study study,
      List<Path> dirs,
      String researcher,
      java.util.Optional<java.util.random.RandomGenerator> random) {
    List<Opened> opened = new ArrayList<>();
    try {
      for (Path dir : dirs) {
        opened.add(
            Opened.of(
                dir,
                study.privacy().rho().isPresent()
                    ? java.util.Optional.of(new DpSetup(dirs.size(), researcher, random))
                    : java.util.Optional.empty()));
      }
      // a seeded test noise source is shared by the nodes: they then draw in turn, in node order
      StudyResult result =
          coordinate(study, opened.stream().map(Opened::study).toList(), random.isEmpty());
      java.util.Optional<StudyReceipt> receipt =
          study.privacy().rho().isPresent()
              ? java.util.Optional.of(
                  StudyReceipt.of(
                      study,
                      opened.stream()
                          .filter(o -> o.ledger().isPresent())
                          .map(o -> o.contribution(Instant.now()))
                          .flatMap(java.util.Optional::stream)
                          .toList(),
                      opened.stream().anyMatch(o -> o.dp().map(NodeDp::zeroNoise).orElse(false)),
                      java.util.Optional.of(result)))
              : java.util.Optional.empty();
      return new Ran(result, receipt);
    } finally {
      for (Opened o : opened) {
        o.close();
      }
    }
  }

  /**
   * Runs the study, asking the nodes of each round at the same time when {@code parallel} (each
   * node has its own connection), else one after another.
   */
  private static StudyResult coordinate(Study study, List<LocalStudyNode> nodes, boolean parallel) {
    if (!parallel || nodes.size() < 2) {
      return new StudyCoordinator(
              FitSettings.defaults(), Runnable::run, new org.salus.store.study.SecureVectors())
          .run(study, nodes);
    }
    try (java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            nodes.size(), Thread.ofPlatform().name("salus-study-node-", 0).daemon().factory())) {
      return new StudyCoordinator(
              FitSettings.defaults(), pool, new org.salus.store.study.SecureVectors())
          .run(study, nodes);
    }
  }

  /** How the nodes of a study with ρ add noise and whom they charge. */
  private record DpSetup(
      int nodes, String researcher, java.util.Optional<java.util.random.RandomGenerator> random) {}

  /** One node opened for a study: its consents, a connection, the study-side view. */
  private record Opened(
      NodeConsents node,
      Connection connection,
      LocalStudyNode study,
      java.util.Optional<NodeLedger> ledger,
      java.util.Optional<NodeDp> dp)
      implements AutoCloseable {

    static Opened of(Path dir, java.util.Optional<DpSetup> setup) {
      NodeConsents node = NodeConsents.open(dir);
      java.util.Optional<NodeLedger> ledger = java.util.Optional.empty();
      try {
        Connection c = node.node().store().database().connect();
        java.util.Optional<NodeDp> dp = java.util.Optional.empty();
        if (setup.isPresent()) {
          NodeLedger l = LedgerCommand.openLedger(node.node(), dir);
          ledger = java.util.Optional.of(l);
          DpSetup s = setup.get();
          dp =
              java.util.Optional.of(
                  new NodeDp(
                      s.nodes(),
                      s.researcher(),
                      NodeBudgets.open(dir),
                      l::append,
                      s.random().orElseGet(java.security.SecureRandom::new)));
        }
        return new Opened(
            node,
            c,
            new LocalStudyNode(
                node.node().config().name(),
                c,
                node.consents(),
                DisclosurePolicy.defaults(),
                Instant.now(),
                dp),
            ledger,
            dp);
      } catch (RuntimeException e) {
        ledger.ifPresent(NodeLedger::close);
        node.close();
        throw e;
      }
    }

    /** After the run: a checkpoint over the appended entries and the proofs of this node's part. */
    java.util.Optional<StudyReceipt.NodePart> contribution(Instant now) {
      return StudyReceipt.NodePart.of(
          node.node().config().name(), ledger.orElseThrow(), dp.orElseThrow(), now);
    }

    @Override
    public void close() {
      ledger.ifPresent(NodeLedger::close);
      try {
        study.close();
        connection.close();
      } catch (SQLException | RuntimeException e) {
        // closing a study's temporary tables must not hide the result; the connection is gone
      } finally {
        node.close();
      }
    }
  }
}
