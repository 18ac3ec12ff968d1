package org.salus.store.study;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.salus.store.Database;
import org.salus.store.MigrationRunner;
import org.salus.store.StoreException;

/**
 * The studies hubs have proposed to this node and the node's decision on each (table {@code
 * study_proposal}, migration V4). A proposal is recorded once; a pending one is decided once. The
 * hub's signed proposal is kept as evidence.
 */
public final class StudyProposals implements AutoCloseable {

  /** Stable code: a study id was proposed before with another document or by another hub. */
  public static final String DUPLICATE = "study.proposal.duplicate";

  /** Stable code: the study was already approved or rejected. */
  public static final String DECIDED = "study.proposal.decided";

  /** Stable code: no study with that id was proposed here. */
  public static final String UNKNOWN = "study.proposal.unknown";

  private static final String COLUMNS =
      "study_id, hub, researcher, institution, title, purpose, document, proposal, received_at,"
          + " state, decided_by, decided_at, rule, reason";

  private final Connection connection;

  private StudyProposals(Connection connection) {
    this.connection = connection;
  }

  /** Connects and brings the schema up to date. */
  public static StudyProposals open(Database database) {
    Connection c = database.connect();
    try {
      MigrationRunner.fromClassPath(database.dialect()).migrate(c);
      return new StudyProposals(c);
    } catch (RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Where a proposal stands. */
  public enum State {
    PENDING,
    APPROVED,
    REJECTED;

    /** As stored and sent: lower case. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State of(String stored) {
      return valueOf(stored.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * One proposed study and the node's decision.
   *
   * @param researcher the researcher's credential issuer and subject, {@code issuer/subject}
   * @param document the study document (JSON) as proposed
   * @param proposal the hub's signed proposal (compact JWS), kept as evidence
   * @param decidedBy {@code steward:<issuer>/<subject>} or {@code policy}
   * @param rule for a policy decision the rule or code that decided; for the steward empty
   */
  public record Proposal(
      String studyId,
      String hub,
      String researcher,
      Optional<String> institution,
      String title,
      String purpose,
      String document,
      String proposal,
      Instant receivedAt,
      State state,
      Optional<String> decidedBy,
      Optional<Instant> decidedAt,
      Optional<String> rule,
      Optional<String> reason) {

    public Proposal {
      Objects.requireNonNull(studyId, "studyId");
      Objects.requireNonNull(hub, "hub");
      Objects.requireNonNull(researcher, "researcher");
      Objects.requireNonNull(document, "document");
      receivedAt = receivedAt.truncatedTo(ChronoUnit.MICROS);
      decidedAt = decidedAt.map(t -> t.truncatedTo(ChronoUnit.MICROS));
    }

    /** The same proposal, decided. */
    public Proposal decided(
        State to, String by, Instant at, Optional<String> byRule, Optional<String> why) {
      return new Proposal(
          studyId,
          hub,
          researcher,
          institution,
          title,
          purpose,
          document,
          proposal,
          receivedAt,
          to,
          Optional.of(by),
          Optional.of(at),
          byRule,
          why);
    }
  }

  /**
   * Records a proposal. The same study proposed again by the same hub with the same document
   * answers the proposal already recorded (a hub may retry).
   *
   * @throws StoreException {@link #DUPLICATE} when the id is taken by another hub or document
   */
  public synchronized Proposal record(Proposal p) {
    Optional<Proposal> known = find(p.studyId());
    if (known.isPresent()) {
      Proposal k = known.get();
      if (k.hub().equals(p.hub()) && k.document().equals(p.document())) {
        return k;
      }
      throw new StoreException(
          DUPLICATE,
          "study " + p.studyId() + " was already proposed to this node with another document");
    }
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO study_proposal ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, p.studyId());
      ps.setString(2, p.hub());
      ps.setString(3, p.researcher());
      ps.setString(4, p.institution().orElse(null));
      ps.setString(5, p.title());
      ps.setString(6, p.purpose());
      ps.setString(7, p.document());
      ps.setString(8, p.proposal());
      ps.setObject(9, LocalDateTime.ofInstant(p.receivedAt(), ZoneOffset.UTC));
      ps.setString(10, p.state().wireName());
      ps.setString(11, p.decidedBy().orElse(null));
      ps.setObject(
          12, p.decidedAt().map(t -> LocalDateTime.ofInstant(t, ZoneOffset.UTC)).orElse(null));
      ps.setString(13, p.rule().orElse(null));
      ps.setString(14, p.reason().orElse(null));
      ps.executeUpdate();
      return p;
    } catch (SQLException e) {
      throw failed("recording a study proposal", e);
    }
  }

  /**
   * Decides a pending proposal.
   *
   * @throws StoreException {@link #UNKNOWN} or {@link #DECIDED}
   */
  public synchronized Proposal decide(
      String studyId, State to, String by, Instant at, Optional<String> reason) {
    if (to == State.PENDING) {
      throw new IllegalArgumentException("a decision approves or rejects");
    }
    Proposal p = require(studyId);
    if (p.state() != State.PENDING) {
      throw new StoreException(
          DECIDED, "study " + studyId + " was already " + p.state().wireName() + " at this node");
    }
    Proposal d = p.decided(to, by, at, Optional.empty(), reason);
    try (PreparedStatement ps =
        connection.prepareStatement(
            "UPDATE study_proposal SET state = ?, decided_by = ?, decided_at = ?, reason = ?"
                + " WHERE study_id = ? AND state = 'pending'")) {
      ps.setString(1, to.wireName());
      ps.setString(2, by);
      ps.setObject(3, LocalDateTime.ofInstant(d.decidedAt().orElseThrow(), ZoneOffset.UTC));
      ps.setString(4, reason.orElse(null));
      ps.setString(5, studyId);
      if (ps.executeUpdate() != 1) {
        throw new StoreException(DECIDED, "study " + studyId + " was decided meanwhile");
      }
      return d;
    } catch (SQLException e) {
      throw failed("deciding a study proposal", e);
    }
  }

  /** The proposal of {@code studyId}, if one was recorded. */
  public synchronized Optional<Proposal> find(String studyId) {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM study_proposal WHERE study_id = ?")) {
      ps.setString(1, studyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("reading a study proposal", e);
    }
  }

  /**
   * The proposal of {@code studyId}.
   *
   * @throws StoreException {@link #UNKNOWN}
   */
  public Proposal require(String studyId) {
    return find(studyId)
        .orElseThrow(
            () ->
                new StoreException(UNKNOWN, "no study " + studyId + " was proposed to this node"));
  }

  /** Every proposal, newest first. */
  public synchronized List<Proposal> all() {
    try (PreparedStatement ps =
            connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM study_proposal ORDER BY received_at DESC, study_id");
        ResultSet rs = ps.executeQuery()) {
      List<Proposal> out = new ArrayList<>();
      while (rs.next()) {
        out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw failed("listing study proposals", e);
    }
  }

  /** How many studies of {@code researcher} are pending or approved here. */
  public synchronized long open(String researcher) {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT count(*) FROM study_proposal WHERE researcher = ?"
                + " AND state IN ('pending', 'approved')")) {
      ps.setString(1, researcher);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failed("counting a researcher's studies", e);
    }
  }

  private static Proposal read(ResultSet rs) throws SQLException {
    return new Proposal(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        Optional.ofNullable(rs.getString(4)),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getObject(9, LocalDateTime.class).toInstant(ZoneOffset.UTC),
        State.of(rs.getString(10)),
        Optional.ofNullable(rs.getString(11)),
        Optional.ofNullable(rs.getObject(12, LocalDateTime.class))
            .map(t -> t.toInstant(ZoneOffset.UTC)),
        Optional.ofNullable(rs.getString(13)),
        Optional.ofNullable(rs.getString(14)));
  }

  private static StoreException failed(String what, SQLException e) {
    return new StoreException("store.query.failed", what + " failed: " + e.getMessage());
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failed("closing the study proposals", e);
    }
  }
}
