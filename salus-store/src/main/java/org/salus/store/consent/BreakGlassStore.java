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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.salus.core.keys.SecretBytes;
import org.salus.store.Database;
import org.salus.store.MigrationRunner;
import org.salus.store.SourceCipher;
import org.salus.store.StoreException;

/**
 * The node's emergency (break-glass) accesses (table {@code break_glass_session}, migration V7), so
 * that they outlive a restart: each access from its opening to its end, and the steward's review.
 * The stated reason and the review note are encrypted under the node's data key, bound to their
 * session. An access ends once and is reviewed once. Works on DuckDB and PostgreSQL; one connection
 * of its own, methods synchronised.
 */
public final class BreakGlassStore implements AutoCloseable {

  private static final String COLUMNS =
      "session_id, clinician_issuer, clinician_subject, requester_reference, person_key, classes,"
          + " hidden_labels, started_at, expires_at, ended_at, ended_by, reason_nonce,"
          + " reason_ciphertext, reviewed_by, reviewed_at, outcome, note_nonce, note_ciphertext";

  private final Connection connection;
  private final SourceCipher cipher;

  private BreakGlassStore(Connection connection, SourceCipher cipher) {
    this.connection = connection;
    this.cipher = cipher;
  }

  /** Connects, brings the schema up to date, and returns the store. */
  public static BreakGlassStore open(Database database, SecretBytes dataKey) {
    Objects.requireNonNull(database, "database");
    SourceCipher cipher = SourceCipher.of(dataKey);
    Connection c = database.connect();
    try {
      MigrationRunner.fromClassPath(database.dialect()).migrate(c);
      return new BreakGlassStore(c, cipher);
    } catch (RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** How an access ended. */
  public enum EndedBy {
    /** The clinician ended it before its time limit. */
    CLINICIAN,
    /** The running node ended it when its time limit passed. */
    TIME_LIMIT,
    /** Its time limit passed while the node was down; the node ended it at that limit on start. */
    RESTART_RECOVERY;

    /** As stored and sent: lower case, with hyphens. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static EndedBy of(String stored) {
      return valueOf(stored.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** The steward's finding on an access. */
  public enum Outcome {
    JUSTIFIED,
    UNJUSTIFIED;

    /** As stored and sent: lower case. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome a wire name names, if any. */
    public static Optional<Outcome> of(String wire) {
      return Arrays.stream(values()).filter(o -> o.wireName().equals(wire)).findFirst();
    }
  }

  /**
   * The steward's review of an access.
   *
   * @param by the steward's credential, {@code issuer/subject}
   * @param note free text (may be empty); encrypted at rest, never in the ledger
   */
  public record Review(String by, Instant at, Outcome outcome, String note) {
    public Review {
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(note, "note");
      at = at.truncatedTo(ChronoUnit.MICROS);
    }
  }

  /**
   * One emergency access.
   *
   * @param issuer the clinician credential's issuer
   * @param subject the clinician credential's subject
   * @param requesterReference the requester reference the consent decision matched
   * @param personKey the patient's pseudonymous person key
   * @param classes the data-class codes it reveals
   * @param hiddenLabels the security-label codes that stay hidden under it
   * @param reason the clinician's stated reason; encrypted at rest
   */
  public record Session(
      String id,
      String issuer,
      String subject,
      String requesterReference,
      String personKey,
      List<String> classes,
      List<String> hiddenLabels,
      Instant started,
      Instant expires,
      String reason,
      Optional<Instant> ended,
      Optional<EndedBy> endedBy,
      Optional<Review> review) {

    public Session {
      for (String s : List.of(id, issuer, subject, requesterReference, personKey)) {
        if (s.isBlank()) {
          throw new StoreException(
              "break-glass.store.invalid", "an access names its id, clinician and patient");
        }
      }
      classes = List.copyOf(classes);
      hiddenLabels = List.copyOf(hiddenLabels);
      if (classes.isEmpty()) {
        throw new StoreException(
            "break-glass.store.invalid", "access " + id + " reveals no data class");
      }
      started = started.truncatedTo(ChronoUnit.MICROS);
      expires = expires.truncatedTo(ChronoUnit.MICROS);
      if (!expires.isAfter(started)) {
        throw new StoreException(
            "break-glass.store.invalid", "access " + id + " expires before it starts");
      }
      ended = ended.map(t -> t.truncatedTo(ChronoUnit.MICROS));
      if (ended.isPresent() != endedBy.isPresent()) {
        throw new StoreException(
            "break-glass.store.invalid", "access " + id + " ends with both a time and a cause");
      }
    }

    /** A newly opened access: not ended, not reviewed. */
    public static Session opened(
        String id,
        String issuer,
        String subject,
        String requesterReference,
        String personKey,
        List<String> classes,
        List<String> hiddenLabels,
        Instant started,
        Instant expires,
        String reason) {
      return new Session(
          id,
          issuer,
          subject,
          requesterReference,
          personKey,
          classes,
          hiddenLabels,
          started,
          expires,
          reason,
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }
  }

  /** Records a newly opened access. */
  public synchronized void opened(Session s) {
    if (s.ended().isPresent() || s.review().isPresent()) {
      throw new StoreException(
          "break-glass.store.invalid", "access " + s.id() + " is recorded when it opens");
    }
    SourceCipher.Sealed reason =
        cipher.seal(associatedData(s.id(), "reason"), s.reason().getBytes(StandardCharsets.UTF_8));
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT INTO break_glass_session (session_id, clinician_issuer, clinician_subject,"
                + " requester_reference, person_key, classes, hidden_labels, started_at,"
                + " expires_at, reason_nonce, reason_ciphertext)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, s.id());
      p.setString(2, s.issuer());
      p.setString(3, s.subject());
      p.setString(4, s.requesterReference());
      p.setString(5, s.personKey());
      p.setString(6, String.join(",", s.classes()));
      p.setString(7, String.join(",", s.hiddenLabels()));
      p.setObject(8, utc(s.started()));
      p.setObject(9, utc(s.expires()));
      p.setBytes(10, reason.nonce());
      p.setBytes(11, reason.ciphertext());
      p.executeUpdate();
    } catch (SQLException e) {
      throw writeFailed("access " + s.id() + " was not recorded", e);
    }
  }

  /**
   * Records that an open access ended.
   *
   * @return false when the access is unknown or had already ended (nothing changes)
   */
  public synchronized boolean ended(String sessionId, Instant at, EndedBy how) {
    try (PreparedStatement p =
        connection.prepareStatement(
            "UPDATE break_glass_session SET ended_at = ?, ended_by = ?"
                + " WHERE session_id = ? AND ended_at IS NULL")) {
      p.setObject(1, utc(at.truncatedTo(ChronoUnit.MICROS)));
      p.setString(2, how.wireName());
      p.setString(3, sessionId);
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      throw writeFailed("the end of access " + sessionId + " was not recorded", e);
    }
  }

  /**
   * Records the steward's review of an access.
   *
   * @return false when the access is unknown or was already reviewed (nothing changes)
   */
  public synchronized boolean reviewed(String sessionId, Review review) {
    SourceCipher.Sealed note =
        cipher.seal(
            associatedData(sessionId, "note"), review.note().getBytes(StandardCharsets.UTF_8));
    try (PreparedStatement p =
        connection.prepareStatement(
            "UPDATE break_glass_session SET reviewed_by = ?, reviewed_at = ?, outcome = ?,"
                + " note_nonce = ?, note_ciphertext = ? WHERE session_id = ? AND outcome IS NULL")) {
      p.setString(1, review.by());
      p.setObject(2, utc(review.at()));
      p.setString(3, review.outcome().wireName());
      p.setBytes(4, note.nonce());
      p.setBytes(5, note.ciphertext());
      p.setString(6, sessionId);
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      throw writeFailed("the review of access " + sessionId + " was not recorded", e);
    }
  }

  /** One access, if recorded. */
  public synchronized Optional<Session> find(String sessionId) {
    List<Session> found = select(" WHERE session_id = ?", sessionId);
    return found.stream().findFirst();
  }

  /** Every access not yet ended, oldest first. */
  public synchronized List<Session> open() {
    return select(" WHERE ended_at IS NULL ORDER BY started_at, session_id");
  }

  /** Every access recorded, oldest first. */
  public synchronized List<Session> all() {
    return select(" ORDER BY started_at, session_id");
  }

  private List<Session> select(String where, String... args) {
    try (PreparedStatement p =
        connection.prepareStatement("SELECT " + COLUMNS + " FROM break_glass_session" + where)) {
      for (int i = 0; i < args.length; i++) {
        p.setString(i + 1, args[i]);
      }
      List<Session> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(session(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(
          "break-glass.store.read-failed",
          "cannot read break_glass_session (SQL state " + e.getSQLState() + ")",
          e);
    }
  }

  private Session session(ResultSet rs) throws SQLException {
    String id = rs.getString(1);
    Optional<Review> review = Optional.empty();
    if (rs.getString(16) != null) {
      review =
          Optional.of(
              new Review(
                  rs.getString(14),
                  instant(rs, 15).orElseThrow(),
                  Outcome.valueOf(rs.getString(16).toUpperCase(Locale.ROOT)),
                  decrypt(id, "note", rs.getBytes(17), rs.getBytes(18))));
    }
    return new Session(
        id,
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        codes(rs.getString(6)),
        codes(rs.getString(7)),
        instant(rs, 8).orElseThrow(),
        instant(rs, 9).orElseThrow(),
        decrypt(id, "reason", rs.getBytes(12), rs.getBytes(13)),
        instant(rs, 10),
        Optional.ofNullable(rs.getString(11)).map(EndedBy::of),
        review);
  }

  private static List<String> codes(String joined) {
    return joined.isEmpty() ? List.of() : List.of(joined.split(","));
  }

  private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, LocalDateTime.class))
        .map(t -> t.toInstant(ZoneOffset.UTC));
  }

  private static LocalDateTime utc(Instant t) {
    return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  private String decrypt(String sessionId, String field, byte[] nonce, byte[] ciphertext) {
    try {
      return new String(
          cipher.open(associatedData(sessionId, field), nonce, ciphertext), StandardCharsets.UTF_8);
    } catch (StoreException e) {
      // No session text in the message beyond its id: the reason may describe the patient.
      throw new StoreException(
          "break-glass.store.integrity",
          "the " + field + " of emergency access " + sessionId + " did not decrypt");
    }
  }

  /** Binds a ciphertext to its session and field: moved elsewhere, it does not decrypt. */
  private static String associatedData(String sessionId, String field) {
    return "break-glass|" + sessionId + "|" + field;
  }

  private static StoreException writeFailed(String what, SQLException e) {
    return new StoreException(
        "break-glass.store.write-failed", what + " (SQL state " + e.getSQLState() + ")", e);
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException(
          "store.close.failed", "cannot close the break-glass store: " + e.getMessage(), e);
    }
  }
}
