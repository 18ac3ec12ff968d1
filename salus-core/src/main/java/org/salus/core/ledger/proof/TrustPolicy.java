package org.salus.core.ledger.proof;

import java.util.List;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.VerifierKey;

/**
 * What an offline verifier trusts: the log's key, the witnesses' cosigner keys, and how many of
 * those witnesses must have cosigned a checkpoint.
 */
public record TrustPolicy(VerifierKey log, List<VerifierKey> witnesses, int quorum) {

  public TrustPolicy {
    witnesses = List.copyOf(witnesses);
    if (log.type() != KeyType.ED25519) {
      throw new IllegalArgumentException("the log key " + log.name() + " is not a note key");
    }
    for (VerifierKey w : witnesses) {
      if (w.type() != KeyType.COSIGNATURE_V1) {
        throw new IllegalArgumentException("witness key " + w.name() + " is not a cosigner key");
      }
    }
    if (quorum < 0 || quorum > witnesses.size()) {
      throw new IllegalArgumentException(
          "quorum " + quorum + " is not between 0 and " + witnesses.size() + " witnesses");
    }
  }
}
