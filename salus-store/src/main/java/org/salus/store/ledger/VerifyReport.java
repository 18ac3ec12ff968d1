package org.salus.store.ledger;

import java.util.List;
import java.util.Optional;

/**
 * What {@link LedgerVerifier} found: counts, the first inconsistency if any, and the forks this
 * node saw as a witness of other logs.
 */
public record VerifyReport(
    long entries,
    int checkpoints,
    int cosignatures,
    int unknownWitnessCosignatures,
    Optional<Inconsistency> firstInconsistency,
    List<String> forksWitnessed) {

  public VerifyReport {
    forksWitnessed = List.copyOf(forksWitnessed);
  }

  /** Whether the log verified and no fork was witnessed. */
  public boolean ok() {
    return firstInconsistency.isEmpty() && forksWitnessed.isEmpty();
  }
}
