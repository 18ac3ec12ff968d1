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
import org.salus.store.study.LocalStudyNode;
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

  @Override
  public Integer call() {
    Study study = read(specFile);
    StudyResult result = run(study, nodes);
    reporting.print(spec.commandLine().getOut(), result, StudyReport.text(result));
    return 0;
  }

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
    List<Opened> opened = new ArrayList<>();
    try {
      for (Path dir : dirs) {
        opened.add(Opened.of(dir));
      }
      return new StudyCoordinator(FitSettings.defaults())
          .run(study, opened.stream().map(Opened::study).toList());
    } finally {
      for (Opened o : opened) {
        o.close();
      }
    }
  }

  /** One node opened for a study: its consents, a connection, the study-side view. */
  private record Opened(NodeConsents node, Connection connection, LocalStudyNode study)
      implements AutoCloseable {

    static Opened of(Path dir) {
      NodeConsents node = NodeConsents.open(dir);
      try {
        Connection c = node.node().store().database().connect();
        return new Opened(
            node,
            c,
            new LocalStudyNode(
                node.node().config().name(),
                c,
                node.consents(),
                DisclosurePolicy.defaults(),
                Instant.now()));
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
    }

    @Override
    public void close() {
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
