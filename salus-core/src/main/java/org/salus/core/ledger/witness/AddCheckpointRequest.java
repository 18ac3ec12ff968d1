package org.salus.core.ledger.witness;

import java.util.List;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.note.SignedCheckpoint;

/**
 * The body of a c2sp.org/tlog-witness {@code add-checkpoint} request: {@code old <size>}, the
 * consistency proof hashes one per line in base64, an empty line, and the signed checkpoint note.
 *
 * @param oldSize the size the log believes the witness last cosigned (0 for none)
 * @param proof the consistency proof hashes from {@code oldSize} to the checkpoint's size
 * @param checkpoint the log's new signed checkpoint
 */
public record AddCheckpointRequest(long oldSize, List<Hash> proof, SignedCheckpoint checkpoint) {

  /** The content type of the request (tlog-witness). */
  public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  /** The content type of a 409 body: the witness's latest size (tlog-witness). */
  public static final String SIZE_CONTENT_TYPE = "text/x.tlog.size";

  public AddCheckpointRequest {
    proof = List.copyOf(proof);
    if (oldSize < 0) {
      throw malformed("old size " + oldSize + " is negative");
    }
  }

  /** The proof as the witness checks it: from {@code oldSize} to the checkpoint's size. */
  public ConsistencyProof consistencyProof() {
    return new ConsistencyProof(oldSize, checkpoint.checkpoint().size(), proof);
  }

  /** The request body. */
  public String encode() {
    return ProofPrefix.encode(oldSize, proof, checkpoint.encode());
  }

  /**
   * Parses a request body; nothing is verified.
   *
   * @throws SalusException {@code ledger.witness.malformed} when the body is not of that shape
   */
  public static AddCheckpointRequest parse(String body) {
    ProofPrefix prefix = ProofPrefix.parse(body, "add-checkpoint", "checkpoint");
    SignedCheckpoint cp;
    try {
      cp = SignedCheckpoint.parse(prefix.document());
    } catch (SalusException | IllegalArgumentException e) {
      throw malformed("the checkpoint is not a signed note: " + e.getMessage());
    }
    return new AddCheckpointRequest(prefix.oldSize(), prefix.proof(), cp);
  }

  private static SalusException malformed(String what) {
    return ProofPrefix.malformed("add-checkpoint", what);
  }
}
