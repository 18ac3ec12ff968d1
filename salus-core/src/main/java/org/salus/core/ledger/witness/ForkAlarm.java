package org.salus.core.ledger.witness;

/** Where a witness raises a detected fork: the steward's dashboard, a log, a page. */
@FunctionalInterface
public interface ForkAlarm {

  void raise(ForkEvidence evidence);
}
