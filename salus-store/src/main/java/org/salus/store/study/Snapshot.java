package org.salus.store.study;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.salus.core.stats.Statistic;
import org.salus.core.study.Analysis;

/**
 * The design table of one iterative fit: its subjects' variables, one row per person, computed once
 * into a temporary table of the node's database connection. Each {@link #step} is one aggregate
 * scan of it; the step's statement is prepared at the first step and run again with the new β at
 * every later one (its text does not change). {@link #close} drops the table.
 */
public final class Snapshot implements AutoCloseable {

  private final NodeAggregates node;
  private final String table;
  private final Analysis analysis;
  private PreparedStatement statement;
  private String statementSql;
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
      case Analysis.Glm g -> {
        int p = g.covariates().size() + 1;
        if (beta.length != p) {
          throw new IllegalArgumentException(
              "beta has " + beta.length + " entries, model has " + p);
        }
        yield run(StudyQueries.glmStep(table, g, beta), "glm", rs -> NodeAggregates.readGlm(rs, g));
      }
      case Analysis.Cox c ->
          run(StudyQueries.coxStep(table, c, beta), "cox", rs -> NodeAggregates.readCox(rs, c));
      default -> throw new IllegalStateException("not an iterative analysis");
    };
  }

  private <T> T run(SqlQuery q, String what, NodeAggregates.Reader<T> reader) {
    if (statement == null || !statementSql.equals(q.sql())) {
      closeStatement();
      statement = node.prepare(q, what);
      statementSql = q.sql();
    }
    return node.query(statement, q, what, reader);
  }

  private void closeStatement() {
    if (statement != null) {
      try {
        statement.close();
      } catch (SQLException e) {
        // the connection is what matters; a statement that fails to close is released with it
      }
      statement = null;
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeStatement();
      node.execute(new SqlQuery("DROP TABLE " + table, java.util.List.of()), "drop snapshot");
    }
  }
}
