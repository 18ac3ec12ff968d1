package org.salus.store.study;

import java.util.ArrayList;
import java.util.List;
import org.salus.core.stats.GlmFamily;
import org.salus.core.study.Analysis;
import org.salus.core.study.Cohort;
import org.salus.core.study.Variable;

/**
 * The node-side SQL of every analysis: one aggregate query per step over the cohort's subjects, so
 * no row leaves the database. Each query's result columns are read by {@link NodeAggregates}.
 */
public final class StudyQueries {

  private StudyQueries() {}

  private static CohortSql.Column column(Variable v) {
    return new CohortSql.VariableColumn(v);
  }

  /**
   * Where a query's {@code subjects(v0, v1, ...)} come from: the cohort's common table expressions
   * ({@link #of}), or a table of the same columns kept when the node joined the study ({@link
   * NodeAggregates}).
   */
  @FunctionalInterface
  interface Subjects {
    /** Writes {@code WITH ..., subjects AS (...)} with the given columns as v0, v1, ... */
    void with(Sql sql, List<CohortSql.Column> columns);

    /** The subjects selected by the cohort's SQL, computed by the query itself. */
    static Subjects of(Cohort cohort) {
      return (sql, columns) -> CohortSql.with(sql, cohort, columns);
    }

    /** The subjects kept in {@code table} (a generated name, never user input). */
    static void fromTable(Sql sql, String table) {
      sql.add("WITH subjects AS (SELECT * FROM " + table + ")");
    }
  }

  /**
   * The per-person columns a one-round analysis reads (count, summary, histogram, contingency,
   * quantiles, Kaplan–Meier); iterative fits have their own ({@link #snapshot}).
   */
  static List<CohortSql.Column> columns(Analysis analysis) {
    return switch (analysis) {
      case Analysis.Count c -> List.of();
      case Analysis.Summary s -> List.of(column(s.variable()));
      case Analysis.Histogram h -> List.of(column(h.variable()));
      case Analysis.Quantiles q -> List.of(column(q.variable()));
      case Analysis.Contingency t -> List.of(column(t.rows()), column(t.columns()));
      case Analysis.KaplanMeier km -> riskColumns(km);
      case Analysis.Glm g -> throw new IllegalArgumentException("a GLM iterates over a snapshot");
      case Analysis.Cox x ->
          throw new IllegalArgumentException("a Cox model iterates over a snapshot");
    };
  }

  /**
   * {@code CREATE TEMPORARY TABLE name AS} the subjects with the given columns (v0, v1, ...; a
   * single constant v0 where there are none), one row per person of the cohort with complete cases.
   */
  static SqlQuery keep(String table, Cohort cohort, List<CohortSql.Column> columns) {
    Sql sql = new Sql().add("CREATE TEMPORARY TABLE " + table + " AS ");
    CohortSql.with(sql, cohort, columns);
    return sql.add(" SELECT * FROM subjects").build();
  }

  /** {@code n}. */
  public static SqlQuery count(Cohort cohort) {
    return count(Subjects.of(cohort));
  }

  static SqlQuery count(Subjects subjects) {
    Sql sql = new Sql();
    subjects.with(sql, List.of());
    return sql.add(" SELECT COUNT(*) FROM subjects").build();
  }

  /** {@code n, Σv, Σv²}. */
  public static SqlQuery moments(Cohort cohort, Variable v) {
    return moments(Subjects.of(cohort), v);
  }

  static SqlQuery moments(Subjects subjects, Variable v) {
    Sql sql = new Sql();
    subjects.with(sql, List.of(column(v)));
    return sql.add(" SELECT COUNT(*), SUM(v0), SUM(v0 * v0) FROM subjects").build();
  }

  /** Rows {@code (bin, count)}; bin −1 is below the first edge and edges−1 at or above the last. */
  public static SqlQuery histogram(Cohort cohort, Variable v, List<Double> edges) {
    return histogram(Subjects.of(cohort), v, edges);
  }

  static SqlQuery histogram(Subjects subjects, Variable v, List<Double> edges) {
    Sql sql = new Sql();
    subjects.with(sql, List.of(column(v)));
    sql.add(" SELECT b, COUNT(*) FROM (SELECT CASE WHEN v0 < ")
        .number(edges.get(0))
        .add(" THEN -1");
    for (int i = 1; i < edges.size(); i++) {
      sql.add(" WHEN v0 < ").number(edges.get(i)).add(" THEN ").integer(i - 1);
    }
    return sql.add(" ELSE ")
        .integer(edges.size() - 1)
        .add(" END AS b FROM subjects) h GROUP BY b")
        .build();
  }

  /**
   * Rows {@code (bin, count)} for {@code bins} equal bins over [min, max), as {@link #histogram}.
   */
  public static SqlQuery equalBins(Cohort cohort, Variable v, double min, double max, int bins) {
    return equalBins(Subjects.of(cohort), v, min, max, bins);
  }

  static SqlQuery equalBins(Subjects subjects, Variable v, double min, double max, int bins) {
    Sql sql = new Sql();
    subjects.with(sql, List.of(column(v)));
    sql.add(" SELECT b, COUNT(*) FROM (SELECT CASE WHEN v0 < ")
        .number(min)
        .add(" THEN -1 WHEN v0 >= ")
        .number(max)
        .add(" THEN ")
        .integer(bins)
        .add(" ELSE LEAST(CAST(FLOOR((v0 - ")
        .number(min)
        .add(") / ")
        .number((max - min) / bins)
        .add(") AS INTEGER), ")
        .integer(bins - 1)
        .add(") END AS b FROM subjects) h GROUP BY b");
    return sql.build();
  }

  /** Rows {@code (row label, column label, count)}. */
  public static SqlQuery contingency(Cohort cohort, Variable rows, Variable columns) {
    return contingency(Subjects.of(cohort), rows, columns);
  }

  static SqlQuery contingency(Subjects subjects, Variable rows, Variable columns) {
    Sql sql = new Sql();
    subjects.with(sql, List.of(column(rows), column(columns)));
    return sql.add(" SELECT ")
        .add(label("v0", rows))
        .add(", ")
        .add(label("v1", columns))
        .add(", COUNT(*) FROM subjects GROUP BY 1, 2")
        .build();
  }

  private static String label(String col, Variable v) {
    return v.isCategorical() ? col : "CAST(CAST(" + col + " AS INTEGER) AS VARCHAR)";
  }

  /**
   * One IRLS step at β (intercept first): {@code n}, then Σ w·xᵢ·xⱼ for i ≤ j (row-major upper
   * triangle), Σ xᵢ·(w·η + y − μ) (= XᵀWz for canonical links), the deviance, and Σ of each binary
   * variable (outcome first if binary, then binary covariates in order).
   */
  public static SqlQuery glmStep(Cohort cohort, Analysis.Glm glm, double[] beta) {
    Sql sql = new Sql();
    CohortSql.with(sql, cohort, glmColumns(glm));
    sql.add(", ");
    glmAggregate(sql, "subjects", glm, beta);
    return sql.build();
  }

  /** The same step over a table made by {@link #snapshot} for this GLM. */
  public static SqlQuery glmStep(String snapshotTable, Analysis.Glm glm, double[] beta) {
    Sql sql = new Sql().add("WITH ");
    glmAggregate(sql, snapshotTable, glm, beta);
    return sql.build();
  }

  static List<CohortSql.Column> glmColumns(Analysis.Glm glm) {
    List<CohortSql.Column> cols = new ArrayList<>();
    cols.add(column(glm.outcome()));
    glm.covariates().forEach(v -> cols.add(column(v)));
    return cols;
  }

  /**
   * {@code CREATE TEMPORARY TABLE name AS} the analysis's subjects (v0, v1, ...): the per-person
   * lookups run once per study instead of once per iteration, and every iteration sees the same
   * cohort.
   */
  public static SqlQuery snapshot(String table, Cohort cohort, Analysis analysis) {
    List<CohortSql.Column> cols =
        switch (analysis) {
          case Analysis.Glm g -> glmColumns(g);
          case Analysis.Cox c -> coxColumns(c);
          default -> throw new IllegalArgumentException("only GLM and Cox fits iterate");
        };
    return keep(table, cohort, cols);
  }

  /**
   * MATERIALIZED: each per-person quantity (η, μ, w, the working residual, the deviance) is
   * computed once per person. PostgreSQL would otherwise inline the CTEs and copy η's expression
   * into every one of the ~p²/2 sums that reads it (minutes instead of a second at 100,000
   * persons).
   */
  private static void glmAggregate(Sql sql, String source, Analysis.Glm glm, double[] beta) {
    int p = beta.length;
    sql.add("lin AS MATERIALIZED (SELECT v0 AS y");
    for (int j = 1; j < p; j++) {
      sql.add(", v" + j + " AS x" + j);
    }
    sql.add(", ").number(beta[0]);
    for (int j = 1; j < p; j++) {
      sql.add(" + ").number(beta[j]).add(" * v" + j);
    }
    sql.add(" AS eta FROM " + source + "), means AS MATERIALIZED (SELECT lin.*, ")
        .add(mean(glm.family()))
        .add(" AS mu FROM lin), fitted AS MATERIALIZED (SELECT means.*, ")
        .add(weight(glm.family()))
        .add(" AS w, ")
        .add(weight(glm.family()))
        .add(" * eta + y - mu AS r, ")
        .add(deviance(glm.family()))
        .add(" AS dev FROM means) SELECT COUNT(*)");
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        sql.add(", SUM(w * " + x(i) + " * " + x(j) + ")");
      }
    }
    for (int i = 0; i < p; i++) {
      sql.add(", SUM(" + x(i) + " * r)");
    }
    sql.add(", SUM(dev)");
    if (glm.outcome().isBinary()) {
      sql.add(", SUM(y)");
    }
    for (int j = 1; j < p; j++) {
      if (glm.covariates().get(j - 1).isBinary()) {
        sql.add(", SUM(" + x(j) + ")");
      }
    }
    sql.add(" FROM fitted");
  }

  private static String x(int j) {
    return j == 0 ? "1.0" : "x" + j;
  }

  private static String mean(GlmFamily f) {
    return switch (f) {
      case GAUSSIAN -> "eta";
      // written so EXP never overflows
      case BINOMIAL ->
          "CASE WHEN eta >= 0 THEN 1 / (1 + EXP(-eta)) ELSE EXP(eta) / (1 + EXP(eta)) END";
      case POISSON -> "EXP(eta)";
    };
  }

  private static String weight(GlmFamily f) {
    return switch (f) {
      case GAUSSIAN -> "1.0";
      case BINOMIAL -> "mu * (1 - mu)";
      case POISSON -> "mu";
    };
  }

  private static String deviance(GlmFamily f) {
    return switch (f) {
      case GAUSSIAN -> "(y - mu) * (y - mu)";
      // −2 log μ = 2 log(1 + e^−η), −2 log(1 − μ) = 2 log(1 + e^η), as stable softplus
      case BINOMIAL ->
          "2 * CASE WHEN y = 1 THEN GREATEST(-eta, 0) + LN(1 + EXP(-ABS(eta)))"
              + " ELSE GREATEST(eta, 0) + LN(1 + EXP(-ABS(eta))) END";
      case POISSON -> "2 * (CASE WHEN y > 0 THEN y * (LN(y) - eta) ELSE 0 END - (y - mu))";
    };
  }

  /** Rows {@code (group, bin, events, exits)}. */
  public static SqlQuery riskTable(Cohort cohort, Analysis.KaplanMeier km) {
    return riskTable(Subjects.of(cohort), km);
  }

  static SqlQuery riskTable(Subjects subjects, Analysis.KaplanMeier km) {
    Sql sql = new Sql();
    subjects.with(sql, riskColumns(km));
    String group = km.group().map(g -> label("v2", g)).orElse("'all'");
    sql.add(" SELECT " + group + " AS g, ")
        .add(bin(km.binDays()))
        .add(" AS b, SUM(v1), COUNT(*) FROM subjects WHERE v0 >= 0 GROUP BY 1, 2");
    return sql.build();
  }

  private static List<CohortSql.Column> riskColumns(Analysis.KaplanMeier km) {
    List<CohortSql.Column> cols = new ArrayList<>();
    cols.add(new CohortSql.ExitDays(km.endpoint()));
    cols.add(new CohortSql.EventFlag(km.endpoint()));
    km.group().ifPresent(g -> cols.add(column(g)));
    return cols;
  }

  private static String bin(int binDays) {
    return "CAST(FLOOR(CAST(v0 AS DOUBLE PRECISION) / " + binDays + ") AS INTEGER)";
  }

  /**
   * One Cox step at β, rows per bin: {@code bin, events, exits, Σ event·xⱼ, Σ r, Σ r·xⱼ, Σ r·xᵢ·xⱼ}
   * (all i, j, row-major) with r = exp(βᵀx).
   */
  public static SqlQuery coxStep(Cohort cohort, Analysis.Cox cox, double[] beta) {
    Sql sql = new Sql();
    CohortSql.with(sql, cohort, coxColumns(cox));
    sql.add(", ");
    coxAggregate(sql, "subjects", cox, beta);
    return sql.build();
  }

  /** The same step over a table made by {@link #snapshot} for this Cox model. */
  public static SqlQuery coxStep(String snapshotTable, Analysis.Cox cox, double[] beta) {
    Sql sql = new Sql().add("WITH ");
    coxAggregate(sql, snapshotTable, cox, beta);
    return sql.build();
  }

  static List<CohortSql.Column> coxColumns(Analysis.Cox cox) {
    List<CohortSql.Column> cols = new ArrayList<>();
    cols.add(new CohortSql.ExitDays(cox.endpoint()));
    cols.add(new CohortSql.EventFlag(cox.endpoint()));
    cox.covariates().forEach(v -> cols.add(column(v)));
    return cols;
  }

  private static void coxAggregate(Sql sql, String source, Analysis.Cox cox, double[] beta) {
    int p = beta.length;
    // MATERIALIZED: r once per person, not once per sum that reads it (PostgreSQL inlines)
    sql.add("risk AS MATERIALIZED (SELECT " + source + ".*, EXP(");
    for (int j = 0; j < p; j++) {
      sql.add(j == 0 ? "" : " + ").number(beta[j]).add(" * v" + (j + 2));
    }
    sql.add(") AS r FROM " + source + " WHERE v0 >= 0) SELECT ")
        .add(bin(cox.binDays()))
        .add(" AS b, SUM(v1), COUNT(*)");
    for (int j = 0; j < p; j++) {
      sql.add(", SUM(v1 * v" + (j + 2) + ")");
    }
    sql.add(", SUM(r)");
    for (int j = 0; j < p; j++) {
      sql.add(", SUM(r * v" + (j + 2) + ")");
    }
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        sql.add(", SUM(r * v" + (i + 2) + " * v" + (j + 2) + ")");
      }
    }
    sql.add(" FROM risk GROUP BY 1");
  }
}
