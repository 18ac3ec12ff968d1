package org.salus.store.study;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.salus.core.error.SalusException;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.BinaryLevel;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.CoxStatistics;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.Moments;
import org.salus.core.stats.RiskTable;
import org.salus.core.study.Analysis;
import org.salus.core.study.Cohort;
import org.salus.core.study.Variable;

/**
 * Runs a study's aggregate queries in the node's database (DuckDB or PostgreSQL) and returns the
 * sufficient statistics the node may send after disclosure control. Only aggregates cross JDBC.
 */
public final class NodeAggregates {

  /** Stable code when the node's database fails a study query. */
  public static final String QUERY_FAILED = "study.node.query-failed";

  private final Connection connection;
  private final Cohort cohort;
  private final java.util.Optional<String> population;

  /**
   * Statements by their text, so a step asked again (the same analysis in another round or study
   * run) is not parsed and planned again; the least recently used beyond 32 are closed.
   */
  private final java.util.Map<String, PreparedStatement> prepared =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, PreparedStatement> e) {
          if (size() <= 32) {
            return false;
          }
          closeQuietly(e.getValue());
          return true;
        }
      };

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException e) {
      // a statement that cannot be closed goes with its connection
    }
  }

  /**
   * The subjects tables kept by {@link #keep}, by the columns they hold; a one-round analysis whose
   * columns are kept aggregates its table instead of selecting the cohort again.
   */
  private final java.util.Map<List<CohortSql.Column>, String> kept = new java.util.HashMap<>();

  /** A query's subjects: the kept table with its columns, else the cohort's SQL. */
  private final StudyQueries.Subjects subjects = this::withSubjects;

  private void withSubjects(Sql sql, List<CohortSql.Column> columns) {
    String table = kept.get(columns);
    if (table == null) {
      CohortSql.with(sql, cohort, columns);
    } else {
      StudyQueries.Subjects.fromTable(sql, table);
    }
  }

  /**
   * Selects the subjects of a one-round analysis (count, summary, histogram, contingency,
   * quantiles, Kaplan–Meier) once into a temporary table of this connection: their per-person
   * values as of now, one row per person, among the population. Every later step of an analysis
   * reading the same columns is one aggregate over that table — recomputed at every step, never
   * answered from an earlier result — and sees the cohort as it was when it was kept, as a fit sees
   * its snapshot. {@link #close} drops the tables.
   */
  public void keep(Analysis analysis) {
    List<CohortSql.Column> columns = StudyQueries.columns(analysis);
    if (kept.containsKey(columns)) {
      return;
    }
    String table = "salus_kept_" + java.util.UUID.randomUUID().toString().replace("-", "");
    execute(StudyQueries.keep(table, cohort, columns), "keep");
    kept.put(List.copyOf(columns), table);
  }

  /** Closes the statements kept for repeated steps and drops the kept subjects. */
  public void close() {
    prepared.values().forEach(NodeAggregates::closeQuietly);
    prepared.clear();
    for (String table : kept.values()) {
      try (java.sql.Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS " + table);
      } catch (SQLException e) {
        // a temporary table goes with its connection
      }
    }
    kept.clear();
  }

  public NodeAggregates(Connection connection, Cohort cohort) {
    this(connection, cohort, java.util.Optional.empty());
  }

  /**
   * Aggregates over the cohort selected only among the persons whose keys are in {@code
   * population}, a table of this connection with a {@code person_key} column (the consented
   * persons, see {@link LocalStudyNode}). The name must be a generated identifier, never user
   * input.
   */
  public NodeAggregates(
      Connection connection, Cohort cohort, java.util.Optional<String> population) {
    this.connection = connection;
    this.cohort = cohort;
    this.population = population;
  }

  public CohortSize count() {
    return query(
        StudyQueries.count(subjects),
        "count",
        rs -> {
          rs.next();
          return new CohortSize(rs.getLong(1));
        });
  }

  public Moments moments(Variable v) {
    return query(
        StudyQueries.moments(subjects, v),
        "summary",
        rs -> {
          rs.next();
          long n = rs.getLong(1);
          // SUM over no rows is NULL, which a driver may read as NaN: an empty cohort sums to 0
          return n == 0 ? new Moments(0, 0, 0) : new Moments(n, rs.getDouble(2), rs.getDouble(3));
        });
  }

  public BinCounts histogram(Analysis.Histogram h) {
    return bins(StudyQueries.histogram(subjects, h.variable(), h.edges()), h.edges());
  }

  /** The fine histogram a quantiles analysis reads its quantiles from. */
  public BinCounts fineHistogram(Analysis.Quantiles q) {
    List<Double> edges = new ArrayList<>();
    for (int i = 0; i <= q.bins(); i++) {
      edges.add(i == q.bins() ? q.max() : q.min() + i * (q.max() - q.min()) / q.bins());
    }
    return bins(StudyQueries.equalBins(subjects, q.variable(), q.min(), q.max(), q.bins()), edges);
  }

  private BinCounts bins(SqlQuery query, List<Double> edges) {
    int k = edges.size() - 1;
    return query(
        query,
        "histogram",
        rs -> {
          Long[] counts = new Long[k];
          Arrays.fill(counts, 0L);
          long below = 0;
          long above = 0;
          while (rs.next()) {
            int b = rs.getInt(1);
            long c = rs.getLong(2);
            if (b < 0) {
              below = c;
            } else if (b >= k) {
              above = c;
            } else {
              counts[b] = c;
            }
          }
          return new BinCounts(edges, List.of(counts), below, above);
        });
  }

  public CrossTable contingency(Analysis.Contingency t) {
    return query(
        StudyQueries.contingency(subjects, t.rows(), t.columns()),
        "contingency",
        rs -> {
          TreeMap<CrossTable.Cell, Long> m = new TreeMap<>();
          while (rs.next()) {
            m.put(new CrossTable.Cell(rs.getString(1), rs.getString(2)), rs.getLong(3));
          }
          return new CrossTable(m);
        });
  }

  /** This node's IRLS statistics at β (intercept first). */
  public GlmStatistics glmStep(Analysis.Glm glm, double[] beta) {
    int p = glm.covariates().size() + 1;
    if (beta.length != p) {
      throw new IllegalArgumentException("beta has " + beta.length + " entries, model has " + p);
    }
    return query(StudyQueries.glmStep(cohort, glm, beta), "glm", rs -> readGlm(rs, glm));
  }

  static GlmStatistics readGlm(ResultSet rs, Analysis.Glm glm) throws SQLException {
    int p = glm.covariates().size() + 1;
    rs.next();
    int col = 1;
    long n = rs.getLong(col++);
    double[] a = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        double v = rs.getDouble(col++);
        a[i * p + j] = v;
        a[j * p + i] = v;
      }
    }
    double[] b = new double[p];
    for (int i = 0; i < p; i++) {
      b[i] = rs.getDouble(col++);
    }
    double deviance = rs.getDouble(col++);
    List<BinaryLevel> levels = new ArrayList<>();
    if (glm.outcome().isBinary()) {
      levels.add(new BinaryLevel(glm.outcome().name(), Math.round(rs.getDouble(col++)), n));
    }
    for (Variable v : glm.covariates()) {
      if (v.isBinary()) {
        levels.add(new BinaryLevel(v.name(), Math.round(rs.getDouble(col++)), n));
      }
    }
    return new GlmStatistics(p, a, b, deviance, n, levels);
  }

  public RiskTable riskTable(Analysis.KaplanMeier km) {
    return query(
        StudyQueries.riskTable(subjects, km),
        "kaplan-meier",
        rs -> {
          List<RiskTable.Row> rows = new ArrayList<>();
          while (rs.next()) {
            rows.add(
                new RiskTable.Row(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
          }
          return new RiskTable(rows);
        });
  }

  /** This node's Cox risk-set statistics at β. */
  public CoxStatistics coxStep(Analysis.Cox cox, double[] beta) {
    return query(StudyQueries.coxStep(cohort, cox, beta), "cox", rs -> readCox(rs, cox));
  }

  static CoxStatistics readCox(ResultSet rs, Analysis.Cox cox) throws SQLException {
    int p = cox.covariates().size();
    List<CoxStatistics.Bin> bins = new ArrayList<>();
    while (rs.next()) {
      int col = 1;
      int bin = rs.getInt(col++);
      long events = rs.getLong(col++);
      long exits = rs.getLong(col++);
      double[] es = new double[p];
      for (int j = 0; j < p; j++) {
        es[j] = rs.getDouble(col++);
      }
      double r = rs.getDouble(col++);
      double[] rx = new double[p];
      for (int j = 0; j < p; j++) {
        rx[j] = rs.getDouble(col++);
      }
      double[] rxx = new double[p * p];
      for (int j = 0; j < p * p; j++) {
        rxx[j] = rs.getDouble(col++);
      }
      bins.add(new CoxStatistics.Bin(bin, events, exits, es, r, rx, rxx));
    }
    return new CoxStatistics(p, bins);
  }

  /**
   * Computes the subjects of an iterative fit (GLM or Cox) once into a temporary table on this
   * connection; iterate with {@link Snapshot#step} and close it when the fit ends.
   */
  public Snapshot snapshot(Analysis analysis) {
    String table = "salus_subjects_" + java.util.UUID.randomUUID().toString().replace("-", "");
    execute(StudyQueries.snapshot(table, cohort, analysis), "snapshot");
    return new Snapshot(this, table, analysis);
  }

  void execute(SqlQuery q, String what) {
    try (PreparedStatement ps = scoped(q).prepare(connection)) {
      ps.execute();
    } catch (SQLException e) {
      throw new SalusException(
          QUERY_FAILED,
          "the " + what + " statement failed in the node database: " + e.getMessage(),
          e);
    }
  }

  /** The query restricted to the population, when there is one and the query selects persons. */
  private SqlQuery scoped(SqlQuery q) {
    return population.map(table -> CohortSql.restrict(q, table)).orElse(q);
  }

  /**
   * Prepares a query to run many times with {@link #query(PreparedStatement, SqlQuery, String,
   * Reader)}, for a fit's rounds: the same text, only β changes.
   */
  PreparedStatement prepare(SqlQuery q, String what) {
    try {
      return connection.prepareStatement(scoped(q).sql());
    } catch (SQLException e) {
      throw new SalusException(
          QUERY_FAILED, "the " + what + " query failed in the node database: " + e.getMessage(), e);
    }
  }

  /** Runs {@code q} on a statement {@link #prepare}d from the same text, binding its parameters. */
  <T> T query(PreparedStatement ps, SqlQuery q, String what, Reader<T> reader) {
    try {
      scoped(q).bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return reader.read(rs);
      }
    } catch (SQLException e) {
      throw new SalusException(
          QUERY_FAILED, "the " + what + " query failed in the node database: " + e.getMessage(), e);
    }
  }

  interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  <T> T query(SqlQuery q, String what, Reader<T> reader) {
    SqlQuery s = scoped(q);
    try {
      PreparedStatement ps = prepared.get(s.sql());
      if (ps == null) {
        ps = connection.prepareStatement(s.sql());
        prepared.put(s.sql(), ps);
      }
      s.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return reader.read(rs);
      }
    } catch (SQLException e) {
      throw new SalusException(
          QUERY_FAILED, "the " + what + " query failed in the node database: " + e.getMessage(), e);
    }
  }
}
