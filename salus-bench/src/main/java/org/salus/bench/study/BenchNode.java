package org.salus.bench.study;

import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.salus.core.disclosure.Disclosure;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.study.Analysis;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.StepRequest;
import org.salus.core.study.run.StudyNode;
import org.salus.store.study.NodeStudyRunner;
import org.salus.store.study.Snapshot;

/**
 * A node over a synthetic database that answers steps as {@code LocalStudyNode} does (design table
 * at a fit's first round, disclosure control every round) but selects everyone at join: the consent
 * filter is measured by the consent benchmarks.
 */
final class BenchNode implements StudyNode {

  private final String name;
  private final Connection connection;
  private Study study;
  private NodeStudyRunner runner;
  private final Map<Integer, Snapshot> snapshots = new HashMap<>();

  BenchNode(String name, Connection connection) {
    this.name = name;
    this.connection = connection;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Joining join(Study joined) {
    study = joined;
    runner = NodeStudyRunner.of(connection, joined.cohort(), DisclosurePolicy.defaults());
    return new Joining.Joined("00".repeat(32));
  }

  @Override
  public NodeReply step(StepRequest request) {
    Analysis analysis = study.analyses().get(request.analysis());
    Disclosure d =
        switch (analysis) {
          case Analysis.Glm g -> runner.step(snapshot(request.analysis(), g), request.betaArray());
          case Analysis.Cox c -> runner.step(snapshot(request.analysis(), c), request.betaArray());
          default -> runner.oneRound(List.of(analysis));
        };
    return switch (d) {
      case Disclosure.Released r -> new NodeReply.Released(r.values().get(0));
      case Disclosure.Withheld w -> new NodeReply.Withheld(w.rule(), w.explanation(), w.remedy());
    };
  }

  private Snapshot snapshot(int index, Analysis analysis) {
    return snapshots.computeIfAbsent(index, i -> runner.snapshot(analysis));
  }

  @Override
  public void close() {
    snapshots.values().forEach(Snapshot::close);
    snapshots.clear();
  }
}
