package org.salus.cli;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.DataClass;
import org.salus.core.consent.EmergencyAccess;
import org.salus.core.consent.EmergencyOpening;
import org.salus.core.consent.Purpose;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.ActorProfile;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.Hash;
import org.salus.server.login.Principal;
import org.salus.store.ledger.SubjectSaltStore;
import org.salus.store.node.Node;
import org.salus.store.node.NodeLedger;

/**
 * Records each access through the HTTP routes in the node's ledger (docs/ledger.md): a search, a
 * break-glass opening, its end and its review, a consent change. The actor is the hash of the
 * credential ({@code issuer/subject}) with its public profile (role, issuer, institution, country:
 * entry format version 2), the subject the patient's salted person key; no health data is written.
 */
final class AccessLedger implements AutoCloseable {

  private final NodeLedger ledger;
  private final boolean ownsLedger;
  private final Connection saltConnection;
  private final SubjectSaltStore salts;

  private AccessLedger(NodeLedger ledger, boolean ownsLedger, Connection saltConnection) {
    this.ledger = ledger;
    this.ownsLedger = ownsLedger;
    this.saltConnection = saltConnection;
    this.salts = new SubjectSaltStore(saltConnection, new SecureRandom());
  }

  static AccessLedger open(Node node) {
    NodeLedger ledger = NodeLedger.open(node);
    try {
      return new AccessLedger(ledger, true, node.store().database().connect());
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
  }

  /** Appends to {@code ledger}, which stays open when this closes (its owner closes it). */
  static AccessLedger sharing(NodeLedger ledger, Node node) {
    return new AccessLedger(ledger, false, node.store().database().connect());
  }

  /** A search on one class of the patient's records; returns the entry's index. */
  long search(Principal p, String personKey, Purpose purpose, DataClass dataClass, Instant at) {
    return ledger.append(
        new LedgerEvent.Search(context(p, personKey, purpose, List.of(dataClass.code()), at)));
  }

  /** A patient summary: the classes of its sections. */
  long summary(
      Principal p, String personKey, Purpose purpose, List<DataClass> classes, Instant at) {
    return ledger.append(
        new LedgerEvent.Summary(
            context(p, personKey, purpose, classes.stream().map(DataClass::code).toList(), at)));
  }

  /** An Observation written back to the patient's results. */
  long writeBack(Principal p, String personKey, Purpose purpose, Instant at) {
    return ledger.append(
        new LedgerEvent.WriteBack(
            context(p, personKey, purpose, List.of(DataClass.RESULTS.code()), at)));
  }

  /** An emergency access opened (break-glass), with its audit record's classes. */
  long breakGlass(Principal p, String personKey, EmergencyOpening opening) {
    List<String> classes =
        opening.audit().classes().stream().map(DataClass::code).sorted().toList();
    return ledger.append(
        new LedgerEvent.BreakGlassStart(
            context(p, personKey, Purpose.ETREAT, classes, opening.audit().at()),
            opening.access().id()));
  }

  /** An emergency access the clinician ended before its time limit. */
  long breakGlassEnded(Principal p, String personKey, EmergencyAccess access, Instant at) {
    return ledger.append(
        new LedgerEvent.BreakGlassEnd(
            context(p, personKey, Purpose.ETREAT, codes(access), at), access.id()));
  }

  /**
   * An emergency access that reached its time limit: the node ends it, so the actor is the node
   * ({@code node/<id>}, role {@code node}) and the time is the end of the access window.
   */
  long breakGlassExpired(String nodeId, String personKey, EmergencyAccess access) {
    EventContext c =
        new EventContext(
            access.window().end().orElseThrow(),
            ActorId.ofCredential("node/" + nodeId),
            Optional.of(salts.saltFor(personKey).subjectOf(personKey)),
            Purpose.ETREAT.code(),
            codes(access),
            Optional.empty(),
            Optional.of(new ActorProfile(NODE_ROLE, nodeId, "", "")));
    return ledger.append(new LedgerEvent.BreakGlassEnd(c, access.id()));
  }

  /**
   * The steward's review of an emergency access: the steward is the actor, the subject the patient,
   * purpose and classes those of the access reviewed; the outcome only (the note stays out).
   */
  long breakGlassReviewed(
      Principal steward,
      String personKey,
      List<String> classes,
      String sessionId,
      boolean justified,
      Instant at) {
    return ledger.append(
        new LedgerEvent.BreakGlassReview(
            context(steward, personKey, Purpose.ETREAT, classes, at), sessionId, justified));
  }

  /** The role an actor profile names when the node itself acts (a time limit reached). */
  static final String NODE_ROLE = "node";

  private static List<String> codes(EmergencyAccess access) {
    return access.classes().stream().map(DataClass::code).sorted().toList();
  }

  /** A ledger event at its index. */
  record Indexed(long index, LedgerEvent event) {}

  /**
   * Every break-glass start, end and review in the ledger, oldest first: a full scan, as the
   * entries are indexed by nothing but their position (the steward's review queue reads it).
   */
  List<Indexed> breakGlassEvents() {
    List<Indexed> out = new ArrayList<>();
    try (PreparedStatement s =
            saltConnection.prepareStatement("SELECT idx, entry FROM ledger_entry ORDER BY idx");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        LedgerEvent e = EntryCodec.decode(r.getBytes(2));
        if (e instanceof LedgerEvent.BreakGlassStart
            || e instanceof LedgerEvent.BreakGlassEnd
            || e instanceof LedgerEvent.BreakGlassReview) {
          out.add(new Indexed(r.getLong(1), e));
        }
      }
    } catch (SQLException e) {
      throw new ConsentException("records.ledger-unreadable", "cannot read the ledger entries");
    }
    return out;
  }

  /** A new consent version recorded by the patient. */
  long consentChange(Principal p, String personKey, ConsentVersion v) {
    return ledger.append(
        new LedgerEvent.ConsentChange(
            context(p, personKey, Purpose.PATRQT, List.of(), v.recordedAt()),
            Hash.of(v.hash().bytes())));
  }

  private EventContext context(
      Principal p, String personKey, Purpose purpose, List<String> classes, Instant at) {
    return new EventContext(
        at,
        ActorId.ofCredential(p.issuer() + "/" + p.subject()),
        Optional.of(salts.saltFor(personKey).subjectOf(personKey)),
        purpose.code(),
        classes,
        Optional.empty(),
        Optional.of(profile(p)));
  }

  /**
   * The actor's public profile: the consent role a clinician's {@code clinical_role} claim names
   * (else the credential's role), the issuer, and the institution and country the holder disclosed.
   */
  static ActorProfile profile(Principal p) {
    String role = p.claim("clinical_role").orElse(p.role().wireName());
    return new ActorProfile(
        role, p.issuer(), p.claim("institution").orElse(""), p.claim("country").orElse(""));
  }

  @Override
  public void close() {
    try {
      if (ownsLedger) {
        ledger.close();
      }
    } finally {
      try {
        saltConnection.close();
      } catch (SQLException e) {
        // Closing a read-mostly connection: nothing to recover.
      }
    }
  }
}
