package org.salus.store.ledger;

import java.util.List;
import java.util.Optional;
import org.salus.core.ledger.proof.KeyChain;

/**
 * What {@link LedgerVerifier} found: counts, the first inconsistency if any, the forks this node
 * saw as a witness of other logs, and the log's checkpoint keys as its {@code KeyRotation} entries
 * hand over from one to the next (up to the first inconsistency).
 */
public record VerifyReport(
    long entries,
    int checkpoints,
    int cosignatures,
    int unknownWitnessCosignatures,
    Optional<Inconsistency> firstInconsistency,
    List<String> forksWitnessed,
    List<KeyChain.Period> logKeys) {

  public VerifyReport {
    forksWitnessed = List.copyOf(forksWitnessed);
    logKeys = List.copyOf(logKeys);
  }

  /** Whether the log verified and no fork was witnessed. */
  public boolean ok() {
    return firstInconsistency.isEmpty() && forksWitnessed.isEmpty();
  }
}
