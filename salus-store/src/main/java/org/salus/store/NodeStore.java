package org.salus.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.salus.core.keys.SecretBytes;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.KnownRecords;
import org.salus.core.record.Sex;

/**
 * A node's tables: writes ingest batches (one transaction each, idempotent), answers what is
 * already stored, counts, and decrypts source documents. One connection, used by one thread at a
 * time (methods are synchronised).
 */
public final class NodeStore implements AutoCloseable {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final Connection connection;
  private final SourceCipher cipher;
  private final BatchWriter writer;
  private final StoredRecords known;

  private NodeStore(Database database, Connection connection, SourceCipher cipher)
      throws SQLException {
    this.database = database;
    this.connection = connection;
    this.cipher = cipher;
    this.writer = new BatchWriter(connection);
    this.known = new StoredRecords(this, connection);
  }

  /**
   * Connects, brings the schema up to date (applying any new migration), and returns the store.
   *
   * @param dataKey the node's 32-byte data-encryption key for source documents
   */
  public static NodeStore open(Database database, SecretBytes dataKey) {
    Objects.requireNonNull(dataKey, "dataKey");
    SourceCipher cipher = new SourceCipher(dataKey, new SecureRandom());
    Connection c = database.connect();
    try {
      MigrationRunner.fromClassPath(database.dialect()).migrate(c);
      return new NodeStore(database, c, cipher);
    } catch (SQLException e) {
      closeAfterFailure(c, e);
      throw new StoreException(
          "store.connect.failed", "cannot prepare the store: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAfterFailure(c, e);
      throw e;
    }
  }

  private static void closeAfterFailure(Connection c, Exception e) {
    try {
      c.close();
    } catch (SQLException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  public Database database() {
    return database;
  }

  /** The store's connection, for tests that read rows back. */
  Connection connection() {
    return connection;
  }

  /**
   * Writes a batch in one transaction: its rows and sources where their record key is not stored
   * yet, and the file's SHA-256. A file loaded before is not read again.
   *
   * @param fileLabel a name for the file (kept in {@code ingest_file}, never put in a message)
   * @param sha256 the lower-case hex SHA-256 of the file's bytes
   */
  public synchronized WriteResult write(String fileLabel, String sha256, IngestBatch batch) {
    Objects.requireNonNull(fileLabel, "fileLabel");
    Objects.requireNonNull(batch, "batch");
    requireSha256(sha256);
    try {
      connection.setAutoCommit(false);
      try {
        if (fileRecorded(sha256)) {
          connection.rollback();
          return new WriteResult.AlreadyLoaded();
        }
        Map<AnalyticTable, Integer> inserted = writer.insertRecords(batch.records());
        int sources = writer.insertSources(batch.sources(), cipher);
        writer.insertFile(fileLabel, sha256, JSON.writeValueAsString(batch.sourceCounts()));
        connection.commit();
        return new WriteResult.Loaded(inserted, sources);
      } catch (SQLException | JsonProcessingException | RuntimeException e) {
        connection.rollback();
        throw writeFailed(e);
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store.write.failed",
          "the batch was not written: the transaction failed (SQL state " + e.getSQLState() + ")",
          e);
    }
  }

  private StoreException writeFailed(Exception e) {
    if (e instanceof StoreException s) {
      return s;
    }
    // The database's own message can quote row values (PostgreSQL's "Failing row contains"):
    // name the table and the SQL state only.
    String why =
        (e instanceof SQLException s ? kind(s) : e.getClass().getSimpleName())
            + " in table "
            + writer.currentTable();
    return new StoreException(
        "store.write.failed", "the batch was not written (" + why + "); nothing of it was stored");
  }

  /** PostgreSQL's SQL state, or DuckDB's error class ("Constraint Error"), never the details. */
  private static String kind(SQLException e) {
    if (e.getSQLState() != null) {
      return "SQL state " + e.getSQLState();
    }
    String m = String.valueOf(e.getMessage());
    int colon = m.indexOf(':');
    String head = colon > 0 ? m.substring(0, colon) : "";
    return head.matches("[A-Za-z ]{1,40} Error") ? head : "SQL error";
  }

  /** Whether a file with this SHA-256 has been loaded. */
  public synchronized boolean hasFile(String sha256) {
    requireSha256(sha256);
    try {
      return fileRecorded(sha256);
    } catch (SQLException e) {
      throw readFailed("ingest_file", e);
    }
  }

  private boolean fileRecorded(String sha256) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement("SELECT 1 FROM ingest_file WHERE sha256 = ?")) {
      p.setString(1, sha256);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** What the store holds, for resolving references that leave the file being read. */
  public KnownRecords knownRecords() {
    return known;
  }

  /** Rows per analytic table and persons by sex and decade of birth. */
  public synchronized NodeStats stats() {
    Map<AnalyticTable, Long> tables = new EnumMap<>(AnalyticTable.class);
    try (Statement s = connection.createStatement()) {
      for (AnalyticTable t : AnalyticTable.values()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t.tableName())) {
          rs.next();
          tables.put(t, rs.getLong(1));
        }
      }
      Map<Sex, Map<Integer, Long>> cells = new EnumMap<>(Sex.class);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT sex, year_of_birth, count(*) FROM person GROUP BY sex, year_of_birth")) {
        while (rs.next()) {
          Sex sex = Sex.fromFhir(rs.getString(1));
          int decade = Math.floorDiv(rs.getInt(2), 10) * 10;
          cells.computeIfAbsent(sex, x -> new TreeMap<>()).merge(decade, rs.getLong(3), Long::sum);
        }
      }
      List<NodeStats.SexDecade> bySexAndDecade = new ArrayList<>();
      cells.forEach(
          (sex, decades) ->
              decades.forEach((d, n) -> bySexAndDecade.add(new NodeStats.SexDecade(sex, d, n))));
      return new NodeStats(tables, bySexAndDecade);
    } catch (SQLException e) {
      throw readFailed("the analytic tables", e);
    }
  }

  /** The original bytes of a source document, decrypted; empty when none has this record key. */
  public synchronized Optional<byte[]> readSource(String recordKey) {
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT nonce, ciphertext FROM source_document WHERE record_key = ?")) {
      p.setString(1, recordKey);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(cipher.open(recordKey, rs.getBytes(1), rs.getBytes(2)));
      }
    } catch (SQLException e) {
      throw readFailed("source_document", e);
    }
  }

  /**
   * The original documents of one person and source type (for example {@code Observation}),
   * decrypted, in record-key order; empty when there are none.
   */
  public synchronized List<byte[]> readSources(String personKey, String sourceType) {
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT record_key, nonce, ciphertext FROM source_document"
                + " WHERE person_key = ? AND source_type = ? ORDER BY record_key")) {
      p.setString(1, personKey);
      p.setString(2, sourceType);
      List<byte[]> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(cipher.open(rs.getString(1), rs.getBytes(2), rs.getBytes(3)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw readFailed("source_document", e);
    }
  }

  static StoreException readFailed(String where, SQLException e) {
    return new StoreException(
        "store.read.failed",
        "cannot read " + where + " (SQL state " + e.getSQLState() + "): " + e.getMessage(),
        e);
  }

  private static void requireSha256(String sha256) {
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new StoreException(
          "store.write.invalid", "a file's SHA-256 must be 64 lower-case hex digits");
    }
  }

  @Override
  public synchronized void close() {
    try {
      known.close();
      writer.close();
      connection.close();
    } catch (SQLException e) {
      throw new StoreException(
          "store.close.failed", "cannot close the store: " + e.getMessage(), e);
    }
  }
}
