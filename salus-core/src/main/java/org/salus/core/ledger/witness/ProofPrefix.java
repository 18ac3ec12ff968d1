package org.salus.core.ledger.witness;

import java.util.ArrayList;
import java.util.List;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.merkle.Hash;

/**
 * The framing two witness requests share (c2sp.org/tlog-witness): {@code old <size>}, the
 * consistency proof hashes one per line in base64, an empty line, then the request's document.
 *
 * @param oldSize the size the log believes the witness last cosigned
 * @param proof the consistency proof hashes
 * @param document what follows the empty line, unparsed
 */
record ProofPrefix(long oldSize, List<Hash> proof, String document) {

  /** The most hashes a consistency proof of a 2^63-entry log can need. */
  static final int MAX_PROOF = 63;

  /** {@code oldSize}, {@code proof} and {@code document} as a request body. */
  static String encode(long oldSize, List<Hash> proof, String document) {
    StringBuilder b = new StringBuilder("old ").append(oldSize).append('\n');
    for (Hash h : proof) {
      b.append(h.base64()).append('\n');
    }
    return b.append('\n').append(document).toString();
  }

  /**
   * Splits a request body; nothing is verified.
   *
   * @param request the request's name in error messages
   * @param document what the document is, in error messages
   * @throws SalusException {@code ledger.witness.malformed} when the body is not of that shape
   */
  static ProofPrefix parse(String body, String request, String document) {
    int blank = body.indexOf("\n\n");
    if (blank < 0) {
      throw malformed(request, "no empty line before the " + document);
    }
    String[] head = body.substring(0, blank).split("\n", -1);
    if (!head[0].startsWith("old ")) {
      throw malformed(request, "the first line must be 'old <size>'");
    }
    long old;
    try {
      old = Long.parseLong(head[0].substring(4));
    } catch (NumberFormatException e) {
      throw malformed(request, "the old size is not a number");
    }
    if (head.length - 1 > MAX_PROOF) {
      throw malformed(request, "the consistency proof has more than " + MAX_PROOF + " hashes");
    }
    List<Hash> hashes = new ArrayList<>();
    for (int i = 1; i < head.length; i++) {
      try {
        hashes.add(Hash.fromBase64(head[i]));
      } catch (IllegalArgumentException e) {
        throw malformed(request, "proof line " + i + " is not a base64 hash");
      }
    }
    return new ProofPrefix(old, hashes, body.substring(blank + 2));
  }

  static SalusException malformed(String request, String what) {
    return new SalusException("ledger.witness.malformed", request + " request: " + what);
  }
}
