package org.salus.core.ledger.witness;

import java.util.ArrayList;
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

  private static final int MAX_PROOF = 63;

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
    StringBuilder b = new StringBuilder("old ").append(oldSize).append('\n');
    for (Hash h : proof) {
      b.append(h.base64()).append('\n');
    }
    return b.append('\n').append(rotation.encode()).toString();
  }

  /**
   * Parses a request body; nothing is verified.
   *
   * @throws SalusException {@code ledger.witness.malformed} when the body is not of that shape
   */
  public static KeyRotationRequest parse(String body) {
    int blank = body.indexOf("\n\n");
    if (blank < 0) {
      throw malformed("no empty line before the rotation proof");
    }
    String[] head = body.substring(0, blank).split("\n", -1);
    if (!head[0].startsWith("old ")) {
      throw malformed("the first line must be 'old <size>'");
    }
    long old;
    try {
      old = Long.parseLong(head[0].substring(4));
    } catch (NumberFormatException e) {
      throw malformed("the old size is not a number");
    }
    if (head.length - 1 > MAX_PROOF) {
      throw malformed("the consistency proof has more than " + MAX_PROOF + " hashes");
    }
    List<Hash> hashes = new ArrayList<>();
    for (int i = 1; i < head.length; i++) {
      try {
        hashes.add(Hash.fromBase64(head[i]));
      } catch (IllegalArgumentException e) {
        throw malformed("proof line " + i + " is not a base64 hash");
      }
    }
    ProofFile rotation;
    try {
      rotation = ProofFile.parse(body.substring(blank + 2));
    } catch (SalusException | IllegalArgumentException e) {
      throw malformed("the rotation proof is not a tlog-proof file: " + e.getMessage());
    }
    return new KeyRotationRequest(old, hashes, rotation);
  }

  private static SalusException malformed(String what) {
    return new SalusException("ledger.witness.malformed", "key-rotation request: " + what);
  }
}
