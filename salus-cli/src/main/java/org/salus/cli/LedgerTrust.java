package org.salus.cli;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.TrustPolicy;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.TrustListVerdict;
import org.salus.server.trust.TrustListVerifier;

/**
 * The ledger keys of a federation, taken from its signed trust list: the log key of the node whose
 * origin a checkpoint names, and the other listed nodes as its witnesses. The list is verified with
 * the operator's key exactly as a node verifies it.
 */
final class LedgerTrust {

  private LedgerTrust() {}

  /**
   * The trust policy for a proof of the log {@code origin}.
   *
   * @param extraWitnesses witness keys given besides the listed nodes
   * @throws SalusException {@code trust-list.*} when the list does not verify, {@code
   *     ledger.unknown-origin} when no listed node has that origin
   */
  static TrustPolicy policy(
      Path trustList, Path operatorKey, String origin, List<VerifierKey> extraWitnesses, int quorum)
      throws IOException {
    TrustList list = verified(trustList, operatorKey);
    TrustedNodeEntry log =
        list.nodes().stream()
            .filter(n -> LedgerKeys.origin(n.id()).equals(origin))
            .findFirst()
            .orElseThrow(
                () ->
                    new SalusException(
                        "ledger.unknown-origin",
                        "the trust list (version "
                            + list.version()
                            + ") names no node with the log "
                            + origin));
    List<VerifierKey> witnesses = new ArrayList<>(extraWitnesses);
    for (TrustedNodeEntry n : list.nodes()) {
      if (!n.id().equals(log.id())) {
        witnesses.add(LedgerKeys.witnessKey(n));
      }
    }
    return new TrustPolicy(LedgerKeys.logKey(log), witnesses, quorum);
  }

  /**
   * The witness keys of every node in the verified trust list except {@code nodeId}: what {@code
   * salus ledger verify} of a joined node counts cosignatures against.
   */
  static List<VerifierKey> witnessesOf(Path trustList, Path operatorKey, String nodeId)
      throws IOException {
    return verified(trustList, operatorKey).nodes().stream()
        .filter(n -> !n.id().equals(nodeId))
        .map(LedgerKeys::witnessKey)
        .toList();
  }

  private static TrustList verified(Path trustList, Path operatorKey) throws IOException {
    TrustListVerifier verifier =
        new TrustListVerifier(
            Ed25519Keys.parse(Files.readString(operatorKey), Curve.Ed25519, "operator key"));
    return switch (verifier.verify(
        Files.readString(trustList).strip(), Optional.empty(), Instant.now())) {
      case TrustListVerdict.Accepted a -> a.list();
      case TrustListVerdict.Refused r ->
          throw new SalusException(
              r.refusal().code(),
              "the trust list " + trustList + " is refused: " + r.refusal().describe());
    };
  }
}
