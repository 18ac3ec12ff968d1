package org.salus.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.SourceDocument;
import org.salus.store.AnalyticRows.Column;

/**
 * Inserts rows that are not there yet, many rows per statement ({@code INSERT ... VALUES (..), (..)
 * ON CONFLICT (key) DO NOTHING}, which DuckDB and PostgreSQL both accept): one round trip and one
 * plan per chunk instead of per row. Runs inside the caller's transaction.
 */
final class BatchWriter implements AutoCloseable {

  /** Rows per statement: large enough to amortise planning, far below PostgreSQL's 32767 binds. */
  static final int CHUNK = 256;

  private static final List<Column> SOURCE_COLUMNS =
      List.of(
          new Column("record_key", AnalyticRows.Type.TEXT),
          new Column("person_key", AnalyticRows.Type.TEXT),
          new Column("source_type", AnalyticRows.Type.TEXT),
          new Column("nonce", AnalyticRows.Type.BYTES),
          new Column("ciphertext", AnalyticRows.Type.BYTES));

  private final Connection connection;
  private final Map<String, PreparedStatement> fullChunks = new HashMap<>();
  private final DuckDbStaging staging;

  /** The table being written, so that a failure can name it. */
  private String currentTable = "";

  BatchWriter(Connection connection) throws SQLException {
    this.connection = connection;
    this.staging =
        connection.isWrapperFor(org.duckdb.DuckDBConnection.class)
            ? new DuckDbStaging(connection.unwrap(org.duckdb.DuckDBConnection.class), allTables())
            : null;
  }

  private static Map<String, List<Column>> allTables() {
    Map<String, List<Column>> tables = new LinkedHashMap<>();
    for (AnalyticTable t : AnalyticTable.values()) {
      tables.put(t.tableName(), AnalyticRows.columns(t));
    }
    tables.put("source_document", SOURCE_COLUMNS);
    return tables;
  }

  String currentTable() {
    return currentTable;
  }

  /** Inserts the records whose key is not yet stored; returns new rows per table. */
  Map<AnalyticTable, Integer> insertRecords(List<ClinicalRecord> records) throws SQLException {
    Map<AnalyticTable, Map<String, Object[]>> byTable = new EnumMap<>(AnalyticTable.class);
    for (ClinicalRecord r : records) {
      byTable
          .computeIfAbsent(r.table(), t -> new LinkedHashMap<>())
          .putIfAbsent(r.recordKey(), AnalyticRows.values(r));
    }
    Map<AnalyticTable, Integer> inserted = new EnumMap<>(AnalyticTable.class);
    for (var e : byTable.entrySet()) {
      AnalyticTable t = e.getKey();
      inserted.put(
          t,
          insert(
              t.tableName(),
              "record_key",
              AnalyticRows.columns(t),
              new ArrayList<>(e.getValue().values())));
    }
    return inserted;
  }

  /** Encrypts and inserts the source documents not yet stored; returns how many were new. */
  int insertSources(List<SourceDocument> sources, SourceCipher cipher) throws SQLException {
    Map<String, Object[]> rows = new LinkedHashMap<>();
    for (SourceDocument d : sources) {
      if (!rows.containsKey(d.recordKey())) {
        SourceCipher.Sealed s = cipher.seal(d.recordKey(), d.content());
        rows.put(
            d.recordKey(),
            new Object[] {d.recordKey(), d.personKey(), d.sourceType(), s.nonce(), s.ciphertext()});
      }
    }
    return insert("source_document", "record_key", SOURCE_COLUMNS, new ArrayList<>(rows.values()));
  }

  /** Records the file as loaded. */
  void insertFile(String label, String sha256, String countsJson) throws SQLException {
    currentTable = "ingest_file";
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT INTO ingest_file (sha256, label, loaded_at, counts) VALUES (?, ?, ?, ?)")) {
      p.setString(1, sha256);
      p.setString(2, label);
      p.setTimestamp(
          3, Timestamp.valueOf(Instant.now().atOffset(ZoneOffset.UTC).toLocalDateTime()));
      p.setString(4, countsJson);
      p.executeUpdate();
    }
  }

  private int insert(String table, String key, List<Column> columns, List<Object[]> rows)
      throws SQLException {
    currentTable = table;
    if (staging != null) {
      return staging.insert(table, key, columns, rows);
    }
    int inserted = 0;
    int full = rows.size() / CHUNK * CHUNK;
    if (full > 0) {
      PreparedStatement p =
          fullChunks.computeIfAbsent(table, t -> prepare(sql(table, key, columns, CHUNK)));
      for (int start = 0; start < full; start += CHUNK) {
        bind(p, columns, rows.subList(start, start + CHUNK));
        inserted += p.executeUpdate();
      }
    }
    if (full < rows.size()) {
      List<Object[]> rest = rows.subList(full, rows.size());
      try (PreparedStatement p = prepare(sql(table, key, columns, rest.size()))) {
        bind(p, columns, rest);
        inserted += p.executeUpdate();
      }
    }
    return inserted;
  }

  private PreparedStatement prepare(String sql) {
    try {
      return connection.prepareStatement(sql);
    } catch (SQLException e) {
      throw new StoreException(
          "store.write.failed",
          "cannot prepare an insert into " + currentTable + " (SQL state " + e.getSQLState() + ")",
          e);
    }
  }

  private static String sql(String table, String key, List<Column> columns, int rows) {
    String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    String one = columns.stream().map(c -> "?").collect(Collectors.joining(", ", "(", ")"));
    StringBuilder sb = new StringBuilder(64 + rows * one.length());
    sb.append("INSERT INTO ").append(table).append(" (").append(names).append(") VALUES ");
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "" : ", ").append(one);
    }
    return sb.append(" ON CONFLICT (").append(key).append(") DO NOTHING").toString();
  }

  private static void bind(PreparedStatement p, List<Column> columns, List<Object[]> rows)
      throws SQLException {
    int i = 1;
    for (Object[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        set(p, i++, columns.get(c).type(), row[c]);
      }
    }
  }

  private static void set(PreparedStatement p, int i, AnalyticRows.Type type, Object v)
      throws SQLException {
    switch (v) {
      case null -> p.setNull(i, type.sqlType);
      case String s -> p.setString(i, s);
      case LocalDate d -> p.setObject(i, d);
      case LocalDateTime t -> p.setObject(i, t);
      case Double d -> p.setDouble(i, d);
      case Integer n -> p.setInt(i, n);
      case byte[] b -> p.setBytes(i, b);
      default -> throw new IllegalStateException("no binding for " + v.getClass().getSimpleName());
    }
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement p : fullChunks.values()) {
      p.close();
    }
    fullChunks.clear();
  }
}
