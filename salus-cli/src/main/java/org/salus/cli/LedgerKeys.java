package org.salus.cli;

import com.nimbusds.jose.jwk.Curve;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.trust.Ed25519Keys;

/**
 * The ledger keys of a federation node, read from its trust-list entry: one Ed25519 key (the
 * entry's signing key) under the name {@code salus.node/<id>}, as the log's note key and as the
 * witness's cosignature key.
 */
final class LedgerKeys {

  static final String ORIGIN_PREFIX = "salus.node/";

  private LedgerKeys() {}

  /** The origin of the log of node {@code id}. */
  static String origin(String id) {
    return ORIGIN_PREFIX + id;
  }

  /** The key that verifies the checkpoints of {@code node}'s log. */
  static VerifierKey logKey(TrustedNodeEntry node) {
    return VerifierKey.of(origin(node.id()), KeyType.ED25519, raw(node));
  }

  /** The key that verifies {@code node}'s cosignatures as a witness. */
  static VerifierKey witnessKey(TrustedNodeEntry node) {
    return VerifierKey.of(origin(node.id()), KeyType.COSIGNATURE_V1, raw(node));
  }

  private static byte[] raw(TrustedNodeEntry node) {
    return Ed25519Keys.parse(node.signingJwk(), Curve.Ed25519, "signing key of " + node.id())
        .getX()
        .decode();
  }
}
