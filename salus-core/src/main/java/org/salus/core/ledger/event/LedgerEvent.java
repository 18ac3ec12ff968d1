package org.salus.core.ledger.event;

import org.salus.core.ledger.merkle.Hash;

/**
 * An event of a node's ledger. Closed: a new kind of event is a new case here, and {@link
 * EntryCodec} must then give it a tag.
 */
public sealed interface LedgerEvent {

  EventContext context();

  record RecordAccess(EventContext context) implements LedgerEvent {}

  record Search(EventContext context) implements LedgerEvent {}

  record Summary(EventContext context) implements LedgerEvent {}

  record WriteBack(EventContext context) implements LedgerEvent {}

  /** A patient changed consent; {@code consentHash} is the hash of the new consent document. */
  record ConsentChange(EventContext context, Hash consentHash) implements LedgerEvent {}

  record Grant(EventContext context, String grantId) implements LedgerEvent {}

  record Revocation(EventContext context, String grantId) implements LedgerEvent {}

  record BreakGlassStart(EventContext context, String sessionId) implements LedgerEvent {}

  record BreakGlassEnd(EventContext context, String sessionId) implements LedgerEvent {}

  /**
   * The steward reviewed an emergency access: {@code justified} or not. The steward's note is free
   * text and stays out of the ledger (the node keeps it encrypted).
   */
  record BreakGlassReview(EventContext context, String sessionId, boolean justified)
      implements LedgerEvent {}

  /** A study was approved at this node, by its steward or by an auto-approval rule. */
  record StudyApproval(EventContext context, String studyId) implements LedgerEvent {}

  /** A study was rejected at this node, by its steward or by its policy. */
  record StudyRejection(EventContext context, String studyId) implements LedgerEvent {}

  /** The node contributed to a study under the consent snapshot with this hash. */
  record StudyContribution(EventContext context, String studyId, Hash consentSnapshot)
      implements LedgerEvent {}

  /** Privacy budget spent, as the IEEE-754 bits of epsilon and delta. */
  record BudgetCharge(EventContext context, String studyId, double epsilon, double delta)
      implements LedgerEvent {}

  /** The node's key changed; {@code newKey} is the new verifier key text. */
  record KeyRotation(EventContext context, String newKey) implements LedgerEvent {}

  record TrustListChange(EventContext context, Hash trustListHash) implements LedgerEvent {}
}
