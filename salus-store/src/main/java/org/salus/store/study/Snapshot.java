package org.salus.store.study;

import org.salus.core.stats.Statistic;
import org.salus.core.study.Analysis;

/**
 * The subjects of one iterative fit, computed once into a temporary table of the node's database
 * connection. Each {@link #step} is one aggregate scan of it; {@link #close} drops it.
 */
public final class Snapshot implements AutoCloseable {

  private final NodeAggregates node;
  private final String table;
  private final Analysis analysis;
  private boolean closed;

  Snapshot(NodeAggregates node, String table, Analysis analysis) {
    this.node = node;
    this.table = table;
    this.analysis = analysis;
  }

  /**
   * This node's statistics at β: {@code GlmStatistics} for a GLM, {@code CoxStatistics} for Cox.
   */
  public Statistic step(double[] beta) {
    if (closed) {
      throw new IllegalStateException("the snapshot is closed");
    }
    return switch (analysis) {
      case Analysis.Glm g ->
          node.query(
              StudyQueries.glmStep(table, g, beta), "glm", rs -> NodeAggregates.readGlm(rs, g));
      case Analysis.Cox c ->
          node.query(
              StudyQueries.coxStep(table, c, beta), "cox", rs -> NodeAggregates.readCox(rs, c));
      default -> throw new IllegalStateException("not an iterative analysis");
    };
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      node.execute(new SqlQuery("DROP TABLE " + table, java.util.List.of()), "drop snapshot");
    }
  }
}
