package org.salus.store.study;

import java.time.LocalDate;
import java.util.List;
import org.salus.core.record.Code;
import org.salus.core.record.Sex;
import org.salus.core.study.Cohort;
import org.salus.core.study.Criterion;
import org.salus.core.study.Endpoint;
import org.salus.core.study.IndexDate;
import org.salus.core.study.Variable;
import org.salus.core.study.Window;

/**
 * The SQL that selects a study's cohort and computes its per-person variables, as common table
 * expressions: {@code cohort(person_key, sex, index_date, age)} and {@code subjects(v0, v1, ...)}
 * with complete cases only. Written against the analytic tables' columns: person(person_key, sex,
 * birth_date), condition_occurrence(person_key, condition_source_code, condition_start_date),
 * measurement(person_key, measurement_source_code, measurement_datetime, value_as_number),
 * drug_exposure(person_key, drug_source_code, drug_exposure_start_date), death(person_key,
 * death_date). Portable between DuckDB and PostgreSQL.
 */
final class CohortSql {

  private CohortSql() {}

  /** {@code WITH cohort AS (...), subjects AS (...)} with the given columns as v0, v1, ... */
  static void with(Sql sql, Cohort cohort, List<Column> columns) {
    sql.add("WITH indexed AS (SELECT p.person_key, p.sex, p.birth_date, ");
    indexDate(sql, cohort.indexDate());
    sql.add(" AS index_date")
        .add(PERSONS)
        .add(", cohort AS (SELECT person_key, sex, index_date, ")
        .add("FLOOR(CAST(index_date - birth_date AS DOUBLE PRECISION) / 365.25) AS age")
        .add(" FROM indexed c WHERE index_date IS NOT NULL");
    if (!cohort.sexes().isEmpty()) {
      sql.add(" AND sex").in(cohort.sexes().stream().map(CohortSql::sexValue).toList());
    }
    cohort
        .age()
        .ifPresent(
            a ->
                sql.add(
                        " AND FLOOR(CAST(index_date - birth_date AS DOUBLE PRECISION) / 365.25)"
                            + " BETWEEN ")
                    .integer(a.min())
                    .add(" AND ")
                    .integer(a.max()));
    for (Criterion c : cohort.inclusion()) {
      sql.add(" AND EXISTS (");
      criterion(sql, c);
      sql.add(")");
    }
    for (Criterion c : cohort.exclusion()) {
      sql.add(" AND NOT EXISTS (");
      criterion(sql, c);
      sql.add(")");
    }
    sql.add("), dated AS MATERIALIZED (SELECT c.*");
    endpoint(columns).ifPresent(e -> endpointDates(sql, e));
    // MATERIALIZED: PostgreSQL would otherwise inline the CTE and re-run the per-person
    // subqueries once for every reference to a variable in the aggregate expressions.
    sql.add(" FROM cohort c), subjects AS MATERIALIZED (SELECT * FROM (SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      sql.add(i == 0 ? "" : ", ");
      columns.get(i).write(sql);
      sql.add(" AS v" + i);
    }
    if (columns.isEmpty()) {
      sql.add("1 AS v0");
    }
    sql.add(" FROM dated c) t WHERE 1 = 1");
    for (int i = 0; i < columns.size(); i++) {
      sql.add(" AND v" + i + " IS NOT NULL");
    }
    sql.add(")");
  }

  /** Where the cohort's persons come from; {@link #restrict} narrows it. */
  private static final String PERSONS = " FROM person p)";

  /**
   * The query with the cohort selected only among persons whose key is in {@code table} (a
   * generated temporary table name). A query that does not select persons (a step over a snapshot,
   * a DROP) is returned as it is.
   */
  static SqlQuery restrict(SqlQuery q, String table) {
    int at = q.sql().indexOf(PERSONS);
    if (at < 0) {
      return q;
    }
    if (q.sql().indexOf(PERSONS, at + 1) >= 0) {
      throw new IllegalStateException("a study query selects persons more than once");
    }
    String sql =
        q.sql().substring(0, at)
            + " FROM person p WHERE p.person_key IN (SELECT person_key FROM "
            + table
            + "))"
            + q.sql().substring(at + PERSONS.length());
    return new SqlQuery(sql, q.parameters());
  }

  /** A per-person column of the subjects table. */
  sealed interface Column {
    void write(Sql sql);
  }

  /** A study variable. */
  record VariableColumn(Variable variable) implements Column {
    @Override
    public void write(Sql sql) {
      if (variable.isCategorical()) {
        CohortSql.variable(sql, variable);
        return;
      }
      sql.add("CAST(");
      CohortSql.variable(sql, variable);
      sql.add(" AS DOUBLE PRECISION)");
    }
  }

  /** Days from the index date to the event or censoring (the exit). */
  record ExitDays(Endpoint endpoint) implements Column {
    @Override
    public void write(Sql sql) {
      sql.add("(");
      exitDate(sql, endpoint);
      sql.add(" - c.index_date)");
    }
  }

  /** 1 when the exit is an event, else 0. */
  record EventFlag(Endpoint endpoint) implements Column {
    @Override
    public void write(Sql sql) {
      sql.add("CASE WHEN ");
      eventDate(sql, endpoint);
      sql.add(" <= ");
      censorDate(sql, endpoint);
      sql.add(" THEN 1 ELSE 0 END");
    }
  }

  private static java.util.Optional<Endpoint> endpoint(List<Column> columns) {
    return columns.stream()
        .map(
            c ->
                switch (c) {
                  case ExitDays x -> java.util.Optional.of(x.endpoint());
                  case EventFlag x -> java.util.Optional.of(x.endpoint());
                  case VariableColumn v -> java.util.Optional.<Endpoint>empty();
                })
        .flatMap(java.util.Optional::stream)
        .findFirst();
  }

  /** The per-person dates an endpoint needs, each looked up once. */
  private static void endpointDates(Sql sql, Endpoint e) {
    sql.add(", ");
    if (e.eventConditions().isEmpty()) {
      sql.add("CAST(NULL AS DATE)");
    } else {
      firstConditionAfterIndex(sql, e.eventConditions());
    }
    sql.add(" AS event_condition, (SELECT MIN(d.death_date) FROM death d")
        .add(" WHERE d.person_key = c.person_key) AS death_date");
  }

  private static void exitDate(Sql sql, Endpoint e) {
    sql.add("CASE WHEN ");
    eventDate(sql, e);
    sql.add(" <= ");
    censorDate(sql, e);
    sql.add(" THEN ");
    eventDate(sql, e);
    sql.add(" ELSE ");
    censorDate(sql, e);
    sql.add(" END");
  }

  private static void eventDate(Sql sql, Endpoint e) {
    if (!e.deathIsEvent()) {
      sql.add("c.event_condition");
      return;
    }
    sql.add("(CASE WHEN c.event_condition IS NULL THEN c.death_date")
        .add(
            " WHEN c.death_date IS NULL OR c.event_condition <= c.death_date THEN"
                + " c.event_condition")
        .add(" ELSE c.death_date END)");
  }

  private static void censorDate(Sql sql, Endpoint e) {
    String cutoff = date(e.dataCutoff());
    if (e.deathIsEvent()) {
      sql.add(cutoff);
      return;
    }
    sql.add("(CASE WHEN c.death_date < " + cutoff + " THEN c.death_date ELSE " + cutoff + " END)");
  }

  private static void firstConditionAfterIndex(Sql sql, List<Code> codes) {
    sql.add("(SELECT MIN(e.condition_start_date) FROM condition_occurrence e")
        .add(" WHERE e.person_key = c.person_key AND e.condition_start_date > c.index_date")
        .add(" AND e.condition_source_code")
        .in(codes(codes))
        .add(")");
  }

  private static void indexDate(Sql sql, IndexDate index) {
    switch (index) {
      case IndexDate.Fixed f -> sql.add(date(f.date()));
      case IndexDate.FirstCondition f ->
          sql.add("(SELECT MIN(i.condition_start_date) FROM condition_occurrence i")
              .add(" WHERE i.person_key = p.person_key AND i.condition_source_code")
              .in(codes(f.codes()))
              .add(")");
    }
  }

  private static void criterion(Sql sql, Criterion criterion) {
    switch (criterion) {
      case Criterion.HasCondition h -> conditionExists(sql, h.codes(), h.window());
      case Criterion.HasDrug d ->
          sql.add("SELECT 1 FROM drug_exposure x WHERE x.person_key = c.person_key")
              .add(" AND x.drug_source_code")
              .in(codes(d.codes()))
              .add(window(" AND x.drug_exposure_start_date", d.window()));
      case Criterion.HasMeasurement m -> {
        sql.add("SELECT 1 FROM measurement x WHERE x.person_key = c.person_key")
            .add(" AND x.measurement_source_code = ")
            .string(m.code().code())
            .add(window(" AND CAST(x.measurement_datetime AS DATE)", m.window()));
        m.min().ifPresent(v -> sql.add(" AND x.value_as_number >= ").number(v));
        m.max().ifPresent(v -> sql.add(" AND x.value_as_number <= ").number(v));
      }
    }
  }

  private static void conditionExists(Sql sql, List<Code> codes, Window w) {
    sql.add("SELECT 1 FROM condition_occurrence x WHERE x.person_key = c.person_key")
        .add(" AND x.condition_source_code")
        .in(codes(codes))
        .add(window(" AND x.condition_start_date", w));
  }

  private static void variable(Sql sql, Variable v) {
    switch (v) {
      case Variable.Age a -> sql.add("c.age");
      case Variable.AgeBand b ->
          sql.add("CAST(CAST(FLOOR(c.age / ")
              .integer(b.width())
              .add(") * ")
              .integer(b.width())
              .add(" AS INTEGER) AS VARCHAR)");
      case Variable.SexLabel s -> sql.add("c.sex");
      case Variable.SexIs s ->
          sql.add("CASE WHEN c.sex = ").string(sexValue(s.sex())).add(" THEN 1.0 ELSE 0.0 END");
      case Variable.HasCondition h -> {
        sql.add("CASE WHEN EXISTS (");
        conditionExists(sql, h.codes(), h.window());
        sql.add(") THEN 1.0 ELSE 0.0 END");
      }
      case Variable.ConditionCount k -> {
        sql.add("(SELECT COUNT(*) FROM condition_occurrence x WHERE x.person_key = c.person_key")
            .add(" AND x.condition_source_code")
            .in(codes(k.codes()))
            .add(window(" AND x.condition_start_date", k.window()))
            .add(")");
      }
      case Variable.MeasurementValue m ->
          sql.add("(SELECT AVG(x.value_as_number) FROM measurement x")
              .add(" WHERE x.person_key = c.person_key AND x.measurement_source_code = ")
              .string(m.code().code())
              .add(" AND x.value_as_number IS NOT NULL")
              .add(window(" AND CAST(x.measurement_datetime AS DATE)", m.window()))
              .add(")");
      case Variable.Bounded b -> {
        // evaluated once in a derived table; a missing value (NULL) fails both tests and stays NULL
        sql.add("(SELECT CASE WHEN bv.x < ")
            .number(b.lower())
            .add(" THEN ")
            .number(b.lower())
            .add(" WHEN bv.x > ")
            .number(b.upper())
            .add(" THEN ")
            .number(b.upper())
            .add(" ELSE bv.x END FROM (SELECT CAST(");
        variable(sql, b.variable());
        sql.add(" AS DOUBLE PRECISION) AS x) bv)");
      }
    }
  }

  private static String window(String column, Window w) {
    return column + " BETWEEN c.index_date + " + w.fromDays() + " AND c.index_date + " + w.toDays();
  }

  private static String date(LocalDate d) {
    return "DATE '" + d + "'";
  }

  private static List<String> codes(List<Code> codes) {
    return codes.stream().map(Code::code).toList();
  }

  /** How the store writes a sex: the enum name in lower case ({@code female}). */
  static String sexValue(Sex sex) {
    return sex.name().toLowerCase(java.util.Locale.ROOT);
  }
}
