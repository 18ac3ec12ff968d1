package org.salus.core.ledger.proof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.InclusionProof;
import org.salus.core.ledger.merkle.ProofVerifier;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;

/**
 * A c2sp.org/tlog-proof@v1 file: the entry's index, its inclusion proof, and the checkpoint with
 * cosignatures. Salus puts the entry's canonical bytes in the {@code extra} line; the spec leaves
 * extra data unauthenticated, and here the inclusion proof authenticates it, since the leaf hash is
 * computed from it.
 */
public final class ProofFile {

  static final String HEADER = "c2sp.org/tlog-proof@v1";

  private final byte[] entry;
  private final long index;
  private final List<Hash> proof;
  private final SignedCheckpoint checkpoint;

  public ProofFile(byte[] entry, long index, List<Hash> proof, SignedCheckpoint checkpoint) {
    this.entry = entry.clone();
    this.index = index;
    this.proof = List.copyOf(proof);
    this.checkpoint = checkpoint;
  }

  public long index() {
    return index;
  }

  public byte[] entry() {
    return entry.clone();
  }

  public List<Hash> proof() {
    return proof;
  }

  public SignedCheckpoint checkpoint() {
    return checkpoint;
  }

  /** The file's text. */
  public String encode() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    b.append("extra ").append(Base64.getEncoder().encodeToString(entry)).append('\n');
    b.append("index ").append(index).append('\n');
    proof.forEach(h -> b.append(h.base64()).append('\n'));
    return b.append('\n').append(checkpoint.encode()).toString();
  }

  /** Parses a proof file; nothing is verified. */
  public static ProofFile parse(String text) {
    int split = text.indexOf("\n\n");
    if (split < 0) {
      throw malformed("an empty line must separate the proof from the checkpoint");
    }
    List<String> lines = List.of(text.substring(0, split).split("\n", -1));
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw malformed("the first line must be " + HEADER);
    }
    int at = 1;
    byte[] entry = new byte[0];
    if (at < lines.size() && lines.get(at).startsWith("extra ")) {
      entry = base64(lines.get(at++).substring(6), "extra");
    }
    if (at >= lines.size() || !lines.get(at).matches("index (0|[1-9][0-9]{0,18})")) {
      throw malformed("line " + (at + 1) + " must be 'index N'");
    }
    long index = Long.parseLong(lines.get(at++).substring(6));
    List<Hash> hashes = new ArrayList<>();
    for (; at < lines.size(); at++) {
      byte[] h = base64(lines.get(at), "proof line " + (at + 1));
      if (h.length != Hash.SIZE) {
        throw malformed("proof line " + (at + 1) + " is not a SHA-256 hash");
      }
      hashes.add(Hash.of(h));
    }
    return new ProofFile(entry, index, hashes, SignedCheckpoint.parse(text.substring(split + 2)));
  }

  /**
   * Verifies offline: the log signed the checkpoint, at least {@code quorum} trusted witnesses
   * cosigned it, and the entry is at {@code index} in its tree.
   */
  public VerifiedEntry verify(TrustPolicy trust) {
    checkpoint.verifyLog(trust.log());
    List<String> cosigned = new ArrayList<>();
    for (VerifierKey w : trust.witnesses()) {
      if (checkpoint.cosignedBy(w).isPresent()) {
        cosigned.add(w.name());
      }
    }
    if (cosigned.size() < trust.quorum()) {
      throw new ProofFileException(
          "ledger.proof-file.quorum",
          "checkpoint "
              + checkpoint.checkpoint().size()
              + " has "
              + cosigned.size()
              + " trusted cosignatures, "
              + trust.quorum()
              + " required");
    }
    InclusionProof p = new InclusionProof(index, checkpoint.checkpoint().size(), proof);
    ProofVerifier.verifyInclusion(p, TreeHasher.leafHash(entry), checkpoint.checkpoint().root());
    return new VerifiedEntry(index, entry, checkpoint.checkpoint(), cosigned);
  }

  private static byte[] base64(String s, String what) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw malformed(what + " is not base64");
    }
  }

  private static ProofFileException malformed(String message) {
    return new ProofFileException("ledger.proof-file.malformed", message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProofFile f
        && index == f.index
        && Arrays.equals(entry, f.entry)
        && proof.equals(f.proof)
        && checkpoint.equals(f.checkpoint);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + proof.hashCode();
  }

  @Override
  public String toString() {
    return "ProofFile[index=" + index + ", tree size " + checkpoint.checkpoint().size() + "]";
  }
}
