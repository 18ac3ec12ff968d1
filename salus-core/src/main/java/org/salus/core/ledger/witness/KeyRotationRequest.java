package org.salus.core.ledger.witness;

import java.util.List;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.proof.ProofFile;

/**
 * The body of a {@code POST /witness/key-rotation} request: {@code old <size>} (the size the log
 * believes the witness last cosigned), the consistency proof hashes from it to the handover
 * checkpoint one per line in base64, an empty line, and the rotation proof: the c2sp.org/tlog-proof
 * file of the log's {@code KeyRotation} entry at index {@code r} against its handover checkpoint of
 * size {@code r + 1}, signed by the key it replaces.
 *
 * @param oldSize the size the log believes the witness last cosigned (0 for none)
 * @param proof the consistency proof hashes from {@code oldSize} to the handover size
 * @param rotation the rotation entry's proof against its handover checkpoint
 */
public record KeyRotationRequest(long oldSize, List<Hash> proof, ProofFile rotation) {

  public KeyRotationRequest {
    proof = List.copyOf(proof);
    if (oldSize < 0) {
      throw malformed("old size " + oldSize + " is negative");
    }
  }

  /** The consistency proof as the witness checks it: from {@code oldSize} to the handover. */
  public ConsistencyProof consistencyProof() {
    return new ConsistencyProof(oldSize, rotation.checkpoint().checkpoint().size(), proof);
  }

  /** The request body. */
  public String encode() {
    return ProofPrefix.encode(oldSize, proof, rotation.encode());
  }

  /**
   * Parses a request body; nothing is verified.
   *
   * @throws SalusException {@code ledger.witness.malformed} when the body is not of that shape
   */
  public static KeyRotationRequest parse(String body) {
    ProofPrefix prefix = ProofPrefix.parse(body, "key-rotation", "rotation proof");
    ProofFile rotation;
    try {
      rotation = ProofFile.parse(prefix.document());
    } catch (SalusException | IllegalArgumentException e) {
      throw malformed("the rotation proof is not a tlog-proof file: " + e.getMessage());
    }
    return new KeyRotationRequest(prefix.oldSize(), prefix.proof(), rotation);
  }

  private static SalusException malformed(String what) {
    return ProofPrefix.malformed("key-rotation", what);
  }
}
