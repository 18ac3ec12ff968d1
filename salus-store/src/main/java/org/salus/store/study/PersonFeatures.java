package org.salus.store.study;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.salus.core.study.Window;

/**
 * The per-person aggregates over event tables that a study's columns read (has a condition in a
 * window, how many, the mean of a measurement, the first event, the death date), written as one
 * grouped join per event table instead of one correlated subquery per person and variable.
 *
 * <p>A correlated scalar subquery in a select list runs once per person on PostgreSQL (a full scan
 * of the event table each time without an index on {@code person_key}); a grouped join reads each
 * event table once, on both engines. Each aggregate filters its rows with a {@code CASE} inside the
 * aggregate, so one join serves every variable over that table. Persons without a matching row get
 * NULL from the {@code LEFT JOIN}, exactly as the subquery's empty result did.
 *
 * <p>Features are registered while planning ({@link #add}) and named {@code f0, f1, ...} in
 * registration order; equal features share one column.
 */
final class PersonFeatures {

  /** One per-person aggregate. */
  sealed interface Feature {
    /** The event table the feature reads. */
    Table table();
  }

  /** The number of the person's conditions with one of the codes in the window. */
  record ConditionCount(List<String> codes, Window window) implements Feature {
    @Override
    public Table table() {
      return Table.CONDITION;
    }
  }

  /** The first condition with one of the codes strictly after the index date. */
  record FirstConditionAfterIndex(List<String> codes) implements Feature {
    @Override
    public Table table() {
      return Table.CONDITION;
    }
  }

  /** The mean of the person's non-null values of a measurement in the window. */
  record MeasurementMean(String code, Window window) implements Feature {
    @Override
    public Table table() {
      return Table.MEASUREMENT;
    }
  }

  /** The person's (earliest) death date. */
  record DeathDate() implements Feature {
    @Override
    public Table table() {
      return Table.DEATH;
    }
  }

  /** An event table, its alias in the features' SQL and the name of its features' CTE. */
  enum Table {
    CONDITION("condition_occurrence", "condition_features", "condition_source_code"),
    MEASUREMENT("measurement", "measurement_features", "measurement_source_code"),
    DEATH("death", "death_features", "");

    final String name;
    final String cte;
    final String codeColumn;

    Table(String name, String cte, String codeColumn) {
      this.name = name;
      this.cte = cte;
      this.codeColumn = codeColumn;
    }
  }

  private final Map<Feature, String> columns = new LinkedHashMap<>();
  private final Optional<LocalDate> fixedIndex;

  /**
   * @param fixedIndex the index date when it is the same for everyone: each event table is then
   *     grouped on its own, without joining the cohort first (the {@code LEFT JOIN} to the cohort
   *     keeps only its persons), which is cheaper
   */
  PersonFeatures(Optional<LocalDate> fixedIndex) {
    this.fixedIndex = fixedIndex;
  }

  /** Registers a feature (once) and returns its column name in {@code dated}. */
  String add(Feature f) {
    return columns.computeIfAbsent(f, k -> "f" + columns.size());
  }

  /**
   * {@code , keyed AS (...), condition_features AS (...), ...}: appended after the {@code cohort}
   * CTE. {@code keyed} holds each cohort person once with the index date, so a person listed twice
   * in {@code person} does not count their events twice.
   */
  void ctes(Sql sql) {
    if (columns.isEmpty()) {
      return;
    }
    if (fixedIndex.isEmpty()) {
      sql.add(", keyed AS (SELECT DISTINCT person_key, index_date FROM cohort)");
    }
    for (Table t : Table.values()) {
      List<Map.Entry<Feature, String>> of =
          columns.entrySet().stream().filter(e -> e.getKey().table() == t).toList();
      if (!of.isEmpty()) {
        cte(sql, t, of);
      }
    }
  }

  private void cte(Sql sql, Table t, List<Map.Entry<Feature, String>> features) {
    String key = fixedIndex.isPresent() ? "x.person_key" : "k.person_key";
    sql.add(", " + t.cte + " AS (SELECT " + key);
    LinkedHashSet<String> codes = new LinkedHashSet<>();
    for (Map.Entry<Feature, String> e : features) {
      sql.add(", ");
      aggregate(sql, e.getKey());
      sql.add(" AS " + e.getValue());
      codes.addAll(codes(e.getKey()));
    }
    // one row per person: k.person_key is unique in keyed
    sql.add(
        fixedIndex.isPresent()
            ? " FROM " + t.name + " x WHERE 1 = 1"
            : " FROM keyed k JOIN " + t.name + " x ON x.person_key = k.person_key WHERE 1 = 1");
    if (!codes.isEmpty()) {
      sql.add(" AND x." + t.codeColumn).in(new ArrayList<>(codes));
    }
    if (t == Table.MEASUREMENT) {
      sql.add(" AND x.value_as_number IS NOT NULL");
    }
    sql.add(" GROUP BY " + key + ")");
  }

  private static List<String> codes(Feature f) {
    return switch (f) {
      case ConditionCount c -> c.codes();
      case FirstConditionAfterIndex c -> c.codes();
      case MeasurementMean m -> List.of(m.code());
      case DeathDate d -> List.of();
    };
  }

  private void aggregate(Sql sql, Feature f) {
    switch (f) {
      case ConditionCount c ->
          sql.add("COUNT(CASE WHEN x.condition_source_code")
              .in(c.codes())
              .add(window(" AND x.condition_start_date", c.window()))
              .add(" THEN 1 END)");
      case FirstConditionAfterIndex c ->
          sql.add("MIN(CASE WHEN x.condition_source_code")
              .in(c.codes())
              .add(
                  " AND x.condition_start_date > " + index() + " THEN x.condition_start_date END)");
      case MeasurementMean m ->
          sql.add("AVG(CASE WHEN x.measurement_source_code = ")
              .string(m.code())
              .add(window(" AND CAST(x.measurement_datetime AS DATE)", m.window()))
              .add(" THEN x.value_as_number END)");
      case DeathDate d -> sql.add("MIN(x.death_date)");
    }
  }

  private String window(String column, Window w) {
    return column
        + " BETWEEN "
        + index()
        + " + "
        + w.fromDays()
        + " AND "
        + index()
        + " + "
        + w.toDays();
  }

  /** The person's index date in the features' SQL. */
  private String index() {
    return fixedIndex.map(PersonFeatures::date).orElse("k.index_date");
  }

  private static String date(LocalDate d) {
    return "DATE '" + d + "'";
  }

  /** {@code , t.f0, t.f1, ...}: the feature columns, for the select list of {@code dated}. */
  void select(Sql sql) {
    columns.forEach((f, name) -> sql.add(", " + f.table().cte + "." + name));
  }

  /** {@code LEFT JOIN}s of the features' CTEs to the cohort {@code c}. */
  void joins(Sql sql) {
    for (Table t : Table.values()) {
      if (columns.keySet().stream().anyMatch(f -> f.table() == t)) {
        sql.add(" LEFT JOIN " + t.cte + " ON " + t.cte + ".person_key = c.person_key");
      }
    }
  }
}
