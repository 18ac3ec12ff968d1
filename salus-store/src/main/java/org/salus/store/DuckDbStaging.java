package org.salus.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.salus.store.AnalyticRows.Column;

/**
 * DuckDB's fast path: rows are appended (DuckDB's appender writes column vectors directly) to a
 * temporary, constraint-free staging table {@code stage_<table>}, then moved with {@code INSERT
 * INTO <table> SELECT ... ON CONFLICT (key) DO NOTHING}. The staging table is emptied before each
 * use, so rows left by an earlier or rolled-back batch never leak into the next one.
 */
final class DuckDbStaging {

  private final DuckDBConnection connection;

  /** Creates the staging tables, outside any transaction so that no rollback drops them. */
  DuckDbStaging(DuckDBConnection connection, Map<String, List<Column>> tables) throws SQLException {
    this.connection = connection;
    try (Statement s = connection.createStatement()) {
      for (var e : tables.entrySet()) {
        s.execute(
            "CREATE TEMP TABLE IF NOT EXISTS stage_"
                + e.getKey()
                + " AS SELECT "
                + names(e.getValue())
                + " FROM "
                + e.getKey()
                + " LIMIT 0");
      }
    }
  }

  private static String names(List<Column> columns) {
    return columns.stream().map(Column::name).collect(Collectors.joining(", "));
  }

  int insert(String table, String key, List<Column> columns, List<Object[]> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    String stage = "stage_" + table;
    String names = names(columns);
    try (Statement s = connection.createStatement()) {
      s.execute("DELETE FROM " + stage);
      try (DuckDBAppender a = connection.createAppender("temp", "main", stage)) {
        for (Object[] row : rows) {
          a.beginRow();
          for (Object v : row) {
            append(a, v);
          }
          a.endRow();
        }
      }
      int inserted =
          s.executeUpdate(
              "INSERT INTO "
                  + table
                  + " ("
                  + names
                  + ") SELECT "
                  + names
                  + " FROM "
                  + stage
                  + " ON CONFLICT ("
                  + key
                  + ") DO NOTHING");
      return inserted;
    }
  }

  private static void append(DuckDBAppender a, Object v) throws SQLException {
    switch (v) {
      case null -> a.appendNull();
      case String s -> a.append(s);
      case LocalDate d -> a.append(d);
      case LocalDateTime t -> a.append(t);
      case Double d -> a.append(d.doubleValue());
      case Integer n -> a.append(n.intValue());
      case byte[] b -> a.append(b);
      default -> throw new IllegalStateException("no appender for " + v.getClass().getSimpleName());
    }
  }
}
