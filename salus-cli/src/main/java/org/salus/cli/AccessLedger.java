package org.salus.cli;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.DataClass;
import org.salus.core.consent.EmergencyOpening;
import org.salus.core.consent.Purpose;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.Hash;
import org.salus.server.login.Principal;
import org.salus.store.ledger.SubjectSaltStore;
import org.salus.store.node.Node;
import org.salus.store.node.NodeLedger;

/**
 * Records each access through the HTTP routes in the node's ledger (docs/ledger.md): a search, a
 * break-glass opening, a consent change. The actor is the hash of the credential ({@code
 * issuer/subject}), the subject the patient's salted person key; no health data is written.
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
        Optional.empty());
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
