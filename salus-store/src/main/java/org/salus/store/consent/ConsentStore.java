package org.salus.store.consent;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.NodeDefaults;
import org.salus.core.consent.Provision;
import org.salus.core.keys.SecretBytes;
import org.salus.store.Database;
import org.salus.store.MigrationRunner;
import org.salus.store.SourceCipher;
import org.salus.store.StoreException;

/**
 * The consents recorded at a node (table {@code consent_version}, migration V3): append-only
 * versions per person key, each holding its FHIR R4 Consent encrypted under the node's data key,
 * and the steward's defaults per purpose. Works on DuckDB and PostgreSQL. One connection of its
 * own, used by one thread at a time (methods are synchronised).
 *
 * <p>On load every version is decoded again and its snapshot hash recomputed; a version whose hash
 * differs from the recorded one is refused ({@code consent.store.integrity}).
 */
public final class ConsentStore implements AutoCloseable {

  /** Keys per query when loading many histories: one query per chunk, not one per person. */
  static final int CHUNK = 500;

  private static final int ATTEMPTS = 3;
  private static final String COLUMNS =
      "person_key, version, recorded_at, snapshot_hash, nonce, ciphertext";

  private final Connection connection;
  private final SourceCipher cipher;
  private final ConsentDecoder decoder;
  private final ConsentDefaultsTable defaults;

  private ConsentStore(Connection connection, SourceCipher cipher, ConsentDecoder decoder) {
    this.connection = connection;
    this.cipher = cipher;
    this.decoder = decoder;
    this.defaults = new ConsentDefaultsTable(connection);
  }

  /**
   * Connects, brings the schema up to date, and returns the store.
   *
   * @param dataKey the node's 32-byte data-encryption key
   * @param decoder reads a stored document back into its root provision
   */
  public static ConsentStore open(Database database, SecretBytes dataKey, ConsentDecoder decoder) {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(decoder, "decoder");
    SourceCipher cipher = SourceCipher.of(dataKey);
    Connection c = database.connect();
    try {
      MigrationRunner.fromClassPath(database.dialect()).migrate(c);
      return new ConsentStore(c, cipher, decoder);
    } catch (RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Records the document as the person's next version (the newest number plus one), in one
   * transaction. The recording time is kept to the microsecond, as the database stores it.
   *
   * @param personKey the pseudonymous person key ingest gave the patient
   * @param document a FHIR R4 Consent in JSON, already validated by the caller; decoded here again
   * @param recordedAt when the node records it; not before the person's newest version
   * @return the version recorded, with its number and snapshot hash
   */
  public synchronized ConsentVersion append(String personKey, String document, Instant recordedAt) {
    requireKey(personKey);
    Objects.requireNonNull(document, "document");
    Provision root = decoder.decode(document);
    Instant at = recordedAt.truncatedTo(ChronoUnit.MICROS);
    SQLException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return appendOnce(personKey, document, root, at);
      } catch (SQLException e) {
        // Most likely another writer took the same version number (primary key): read again.
        last = e;
      }
    }
    throw new StoreException(
        "consent.store.write-failed",
        "the consent was not recorded (SQL state "
            + Objects.requireNonNull(last).getSQLState()
            + "); nothing of it was stored",
        last);
  }

  private ConsentVersion appendOnce(String personKey, String document, Provision root, Instant at)
      throws SQLException {
    connection.setAutoCommit(false);
    try {
      ConsentHistory before = load(List.of(personKey)).get(personKey);
      ConsentVersion next = before.append(root, at).current().orElseThrow();
      SourceCipher.Sealed sealed =
          cipher.seal(
              associatedData(personKey, next.version()), document.getBytes(StandardCharsets.UTF_8));
      try (PreparedStatement p =
          connection.prepareStatement(
              "INSERT INTO consent_version (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
        p.setString(1, personKey);
        p.setInt(2, next.version());
        p.setObject(3, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
        p.setString(4, next.hash().toString());
        p.setBytes(5, sealed.nonce());
        p.setBytes(6, sealed.ciphertext());
        p.executeUpdate();
      }
      connection.commit();
      return next;
    } catch (SQLException | RuntimeException e) {
      rollback(e);
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** Every version of the person's consent, oldest first; empty when none was recorded. */
  public synchronized ConsentHistory history(String personKey) {
    requireKey(personKey);
    try {
      return load(List.of(personKey)).get(personKey);
    } catch (SQLException e) {
      throw readFailed(e);
    }
  }

  /**
   * The histories of many persons (cohort selection), in the order given, one entry per distinct
   * key (empty history where none was recorded). One query per {@value #CHUNK} keys.
   */
  public synchronized Map<String, ConsentHistory> histories(Collection<String> personKeys) {
    personKeys.forEach(ConsentStore::requireKey);
    try {
      return load(personKeys);
    } catch (SQLException e) {
      throw readFailed(e);
    }
  }

  /** The document (FHIR R4 Consent JSON as received) of one version, decrypted. */
  public synchronized Optional<String> document(String personKey, int version) {
    requireKey(personKey);
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT nonce, ciphertext FROM consent_version WHERE person_key = ? AND version = ?")) {
      p.setString(1, personKey);
      p.setInt(2, version);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next()
            ? Optional.of(open(personKey, version, rs.getBytes(1), rs.getBytes(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw readFailed(e);
    }
  }

  /**
   * The steward's defaults per purpose; opt-in for every purpose, jurisdiction {@code unspecified},
   * until some are saved.
   */
  public synchronized NodeDefaults defaults() {
    try {
      return defaults.load();
    } catch (SQLException e) {
      throw new StoreException(
          "consent.store.read-failed",
          "cannot read consent_default (SQL state " + e.getSQLState() + ")",
          e);
    }
  }

  /**
   * Replaces the node's defaults, every purpose's rule and the jurisdiction, in one transaction.
   */
  public synchronized void saveDefaults(NodeDefaults nodeDefaults, Instant at) {
    Objects.requireNonNull(nodeDefaults, "nodeDefaults");
    try {
      connection.setAutoCommit(false);
      try {
        defaults.save(nodeDefaults, at);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollback(e);
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(
          "consent.store.write-failed",
          "the defaults were not saved (SQL state " + e.getSQLState() + "); nothing changed",
          e);
    }
  }

  private Map<String, ConsentHistory> load(Collection<String> personKeys) throws SQLException {
    Map<String, ConsentHistory> out = new LinkedHashMap<>();
    for (String k : new LinkedHashSet<>(personKeys)) {
      out.put(k, ConsentHistory.empty(k));
    }
    List<String> keys = new ArrayList<>(out.keySet());
    for (int from = 0; from < keys.size(); from += CHUNK) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
      String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement p =
          connection.prepareStatement(
              "SELECT "
                  + COLUMNS
                  + " FROM consent_version WHERE person_key IN ("
                  + marks
                  + ") ORDER BY person_key, version")) {
        for (int i = 0; i < chunk.size(); i++) {
          p.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            String key = rs.getString(1);
            out.put(key, next(out.get(key), rs));
          }
        }
      }
    }
    return out;
  }

  /** Appends the row's version to the history, checking its number and snapshot hash. */
  private ConsentHistory next(ConsentHistory history, ResultSet rs) throws SQLException {
    String key = rs.getString(1);
    int version = rs.getInt(2);
    Instant at = rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    String document = open(key, version, rs.getBytes(5), rs.getBytes(6));
    if (version != history.versions().size() + 1) {
      throw integrity("version " + version + " follows version " + history.versions().size());
    }
    ConsentHistory next = history.append(decoder.decode(document), at);
    if (!next.current().orElseThrow().hash().toString().equals(rs.getString(4))) {
      throw integrity("version " + version + " does not match its recorded snapshot hash");
    }
    return next;
  }

  private String open(String personKey, int version, byte[] nonce, byte[] ciphertext) {
    try {
      return new String(
          cipher.open(associatedData(personKey, version), nonce, ciphertext),
          StandardCharsets.UTF_8);
    } catch (StoreException e) {
      throw integrity("version " + version + " did not decrypt");
    }
  }

  /** Binds a ciphertext to its row: moved to another person or version, it does not decrypt. */
  private static String associatedData(String personKey, int version) {
    return "consent|" + personKey + "|" + version;
  }

  private static StoreException integrity(String what) {
    // No person key in the message: a steward's log is not the place for it.
    return new StoreException("consent.store.integrity", "a stored consent is corrupt: " + what);
  }

  private static StoreException readFailed(SQLException e) {
    return new StoreException(
        "consent.store.read-failed",
        "cannot read consent_version (SQL state " + e.getSQLState() + ")",
        e);
  }

  private void rollback(Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static void requireKey(String personKey) {
    if (personKey == null || personKey.isBlank()) {
      throw new StoreException("consent.store.invalid", "a person key must not be blank");
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException(
          "store.close.failed", "cannot close the consent store: " + e.getMessage(), e);
    }
  }
}
