package org.salus.core.ledger.witness;

import java.util.ArrayList;
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

  private static final int MAX_PROOF = 63;

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
    StringBuilder b = new StringBuilder("old ").append(oldSize).append('\n');
    for (Hash h : proof) {
      b.append(h.base64()).append('\n');
    }
    return b.append('\n').append(checkpoint.encode()).toString();
  }

  /**
   * Parses a request body; nothing is verified.
   *
   * @throws SalusException {@code ledger.witness.malformed} when the body is not of that shape
   */
  public static AddCheckpointRequest parse(String body) {
    int blank = body.indexOf("\n\n");
    if (blank < 0) {
      throw malformed("no empty line before the checkpoint");
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
    SignedCheckpoint cp;
    try {
      cp = SignedCheckpoint.parse(body.substring(blank + 2));
    } catch (SalusException | IllegalArgumentException e) {
      throw malformed("the checkpoint is not a signed note: " + e.getMessage());
    }
    return new AddCheckpointRequest(old, hashes, cp);
  }

  private static SalusException malformed(String what) {
    return new SalusException("ledger.witness.malformed", "add-checkpoint request: " + what);
  }
}
