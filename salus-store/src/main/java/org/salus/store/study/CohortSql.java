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
    PersonFeatures features =
        new PersonFeatures(
            cohort.indexDate() instanceof IndexDate.Fixed f
                ? java.util.Optional.of(f.date())
                : java.util.Optional.empty());
    columns.forEach(c -> register(c, features));
    cohort(sql, cohort);
    features.ctes(sql);
    // MATERIALIZED: PostgreSQL would otherwise inline the CTE and recompute it for every reference
    // to a variable in the aggregate expressions.
    sql.add(", dated AS MATERIALIZED (SELECT c.*");
    features.select(sql);
    sql.add(" FROM cohort c");
    features.joins(sql);
    sql.add("), subjects AS MATERIALIZED (SELECT * FROM (SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      sql.add(i == 0 ? "" : ", ");
      columns.get(i).write(sql, features);
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

  /** {@code WITH persons AS (...), ..., cohort AS (...)}: index date, age, sex and criteria. */
  private static void cohort(Sql sql, Cohort cohort) {
    sql.add("WITH persons AS (SELECT p.person_key, p.sex, p.birth_date").add(PERSONS);
    if (cohort.indexDate() instanceof IndexDate.FirstCondition f) {
      sql.add(", index_events AS (SELECT i.person_key, MIN(i.condition_start_date) AS index_date")
          .add(" FROM condition_occurrence i WHERE i.condition_source_code")
          .in(codes(f.codes()))
          .add(" GROUP BY i.person_key)");
    }
    sql.add(", indexed AS (SELECT p.person_key, p.sex, p.birth_date, ");
    switch (cohort.indexDate()) {
      case IndexDate.Fixed f -> sql.add(date(f.date()) + " AS index_date FROM persons p)");
      case IndexDate.FirstCondition f ->
          sql.add("i.index_date FROM persons p LEFT JOIN index_events i")
              .add(" ON i.person_key = p.person_key)");
    }
    sql.add(", cohort AS (SELECT person_key, sex, index_date, ")
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
    // EXISTS and NOT EXISTS become semi- and anti-joins on both engines
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
    /** Writes the column's expression over {@code dated c}, reading the registered features. */
    void write(Sql sql, PersonFeatures features);
  }

  /** A study variable. */
  record VariableColumn(Variable variable) implements Column {
    @Override
    public void write(Sql sql, PersonFeatures features) {
      if (variable.isCategorical()) {
        CohortSql.variable(sql, variable, features);
        return;
      }
      sql.add("CAST(");
      CohortSql.variable(sql, variable, features);
      sql.add(" AS DOUBLE PRECISION)");
    }
  }

  /** Days from the index date to the event or censoring (the exit). */
  record ExitDays(Endpoint endpoint) implements Column {
    @Override
    public void write(Sql sql, PersonFeatures features) {
      EndpointDates d = EndpointDates.of(endpoint, features);
      sql.add("(");
      d.exitDate(sql);
      sql.add(" - c.index_date)");
    }
  }

  /** 1 when the exit is an event, else 0. */
  record EventFlag(Endpoint endpoint) implements Column {
    @Override
    public void write(Sql sql, PersonFeatures features) {
      EndpointDates d = EndpointDates.of(endpoint, features);
      sql.add("CASE WHEN ");
      d.eventDate(sql);
      sql.add(" <= ");
      d.censorDate(sql);
      sql.add(" THEN 1 ELSE 0 END");
    }
  }

  /** Registers the per-person features the column reads. */
  private static void register(Column column, PersonFeatures features) {
    switch (column) {
      case VariableColumn v -> feature(v.variable()).ifPresent(features::add);
      case ExitDays x -> EndpointDates.of(x.endpoint(), features);
      case EventFlag x -> EndpointDates.of(x.endpoint(), features);
    }
  }

  private static java.util.Optional<PersonFeatures.Feature> feature(Variable v) {
    return switch (v) {
      case Variable.HasCondition h ->
          java.util.Optional.of(new PersonFeatures.ConditionCount(codes(h.codes()), h.window()));
      case Variable.ConditionCount k ->
          java.util.Optional.of(new PersonFeatures.ConditionCount(codes(k.codes()), k.window()));
      case Variable.MeasurementValue m ->
          java.util.Optional.of(new PersonFeatures.MeasurementMean(m.code().code(), m.window()));
      case Variable.Age a -> java.util.Optional.empty();
      case Variable.AgeBand b -> java.util.Optional.empty();
      case Variable.SexLabel s -> java.util.Optional.empty();
      case Variable.SexIs s -> java.util.Optional.empty();
      case Variable.Bounded b -> feature(b.variable());
    };
  }

  /** The columns of {@code dated} holding an endpoint's per-person dates, each looked up once. */
  private record EndpointDates(Endpoint e, String eventCondition, String deathDate) {

    static EndpointDates of(Endpoint e, PersonFeatures features) {
      String event =
          e.eventConditions().isEmpty()
              ? "CAST(NULL AS DATE)"
              : "c."
                  + features.add(
                      new PersonFeatures.FirstConditionAfterIndex(codes(e.eventConditions())));
      return new EndpointDates(e, event, "c." + features.add(new PersonFeatures.DeathDate()));
    }

    void exitDate(Sql sql) {
      sql.add("CASE WHEN ");
      eventDate(sql);
      sql.add(" <= ");
      censorDate(sql);
      sql.add(" THEN ");
      eventDate(sql);
      sql.add(" ELSE ");
      censorDate(sql);
      sql.add(" END");
    }

    void eventDate(Sql sql) {
      if (!e.deathIsEvent()) {
        sql.add(eventCondition);
        return;
      }
      sql.add("(CASE WHEN " + eventCondition + " IS NULL THEN " + deathDate)
          .add(" WHEN " + deathDate + " IS NULL OR " + eventCondition + " <= " + deathDate)
          .add(" THEN " + eventCondition + " ELSE " + deathDate + " END)");
    }

    void censorDate(Sql sql) {
      String cutoff = date(e.dataCutoff());
      if (e.deathIsEvent()) {
        sql.add(cutoff);
        return;
      }
      sql.add(
          "(CASE WHEN "
              + deathDate
              + " < "
              + cutoff
              + " THEN "
              + deathDate
              + " ELSE "
              + cutoff
              + " END)");
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

  private static void variable(Sql sql, Variable v, PersonFeatures features) {
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
      case Variable.HasCondition h ->
          sql.add("CASE WHEN c." + features.add(feature(v).orElseThrow()) + " > 0")
              .add(" THEN 1.0 ELSE 0.0 END");
      // no matching row: NULL from the LEFT JOIN, a count of 0
      case Variable.ConditionCount k ->
          sql.add("COALESCE(c." + features.add(feature(v).orElseThrow()) + ", 0)");
      // no value in the window: NULL, so the person is not a complete case
      case Variable.MeasurementValue m -> sql.add("c." + features.add(feature(v).orElseThrow()));
      case Variable.Bounded b -> {
        // clamped to the declared bounds; a missing value (NULL) fails both tests and stays NULL
        sql.add("(SELECT CASE WHEN bv.x < ")
            .number(b.lower())
            .add(" THEN ")
            .number(b.lower())
            .add(" WHEN bv.x > ")
            .number(b.upper())
            .add(" THEN ")
            .number(b.upper())
            .add(" ELSE bv.x END FROM (SELECT CAST(");
        variable(sql, b.variable(), features);
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
