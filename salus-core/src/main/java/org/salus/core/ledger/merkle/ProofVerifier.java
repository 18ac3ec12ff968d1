package org.salus.core.ledger.merkle;

import java.util.List;

/**
 * Verifies inclusion (RFC 9162 §2.1.3.2) and consistency (RFC 9162 §2.1.4.2) proofs. Pure functions
 * of hashes and sizes; a refusal is a {@link ProofException} whose {@link ProofFailure} carries the
 * evidence.
 */
public final class ProofVerifier {

  private ProofVerifier() {}

  /** Checks that {@code leafHash} is leaf {@code proof.index()} of the tree with {@code root}. */
  public static void verifyInclusion(InclusionProof proof, Hash leafHash, Hash root) {
    Hash calculated = rootFromInclusion(proof, leafHash);
    if (!calculated.equals(root)) {
      throw new ProofException(
          "inclusion proof of leaf " + proof.index() + " in tree size " + proof.treeSize(),
          new ProofFailure.RootMismatch(root, calculated));
    }
  }

  /** The root an inclusion proof leads to, before comparing it with a trusted root. */
  public static Hash rootFromInclusion(InclusionProof proof, Hash leafHash) {
    String what = "inclusion proof of leaf " + proof.index() + " in tree size " + proof.treeSize();
    if (proof.index() < 0 || proof.index() >= proof.treeSize()) {
      throw new ProofException(
          what, new ProofFailure.IndexOutOfRange(proof.index(), proof.treeSize()));
    }
    long fn = proof.index();
    long sn = proof.treeSize() - 1;
    Hash r = leafHash;
    for (Hash p : proof.hashes()) {
      if (sn == 0) {
        throw new ProofException(what, new ProofFailure.WrongProofLength(proof.hashes().size()));
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = TreeHasher.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = TreeHasher.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException(what, new ProofFailure.WrongProofLength(proof.hashes().size()));
    }
    return r;
  }

  /** Checks that the tree with {@code root1} is a prefix of the tree with {@code root2}. */
  public static void verifyConsistency(ConsistencyProof proof, Hash root1, Hash root2) {
    long size1 = proof.size1();
    long size2 = proof.size2();
    List<Hash> path = proof.hashes();
    String what = "consistency proof from tree size " + size1 + " to " + size2;
    if (size1 < 0 || size2 < size1) {
      throw new ProofException(what, new ProofFailure.SizesOutOfOrder(size1, size2));
    }
    if (size1 == size2 || size1 == 0) {
      if (!path.isEmpty()) {
        throw new ProofException(what, new ProofFailure.WrongProofLength(path.size()));
      }
      if (size1 == size2 && !root1.equals(root2)) {
        throw new ProofException(what, new ProofFailure.RootMismatch(root1, root2));
      }
      return;
    }
    if (path.isEmpty()) {
      throw new ProofException(what, new ProofFailure.WrongProofLength(0));
    }
    Hash[] roots = consistencyRoots(size1, size2, path, root1, what);
    if (!roots[0].equals(root1)) {
      throw new ProofException(what, new ProofFailure.RootMismatch(root1, roots[0]));
    }
    if (!roots[1].equals(root2)) {
      throw new ProofException(what, new ProofFailure.RootMismatch(root2, roots[1]));
    }
  }

  // Steps 1-6 of RFC 9162 §2.1.4.2; returns {fr, sr}.
  private static Hash[] consistencyRoots(
      long size1, long size2, List<Hash> proof, Hash root1, String what) {
    boolean powerOfTwo = Long.bitCount(size1) == 1;
    int length = proof.size() + (powerOfTwo ? 1 : 0);
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    Hash first = powerOfTwo ? root1 : proof.get(0);
    Hash fr = first;
    Hash sr = first;
    for (int i = 1; i < length; i++) {
      Hash c = proof.get(powerOfTwo ? i - 1 : i);
      if (sn == 0) {
        throw new ProofException(what, new ProofFailure.WrongProofLength(proof.size()));
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = TreeHasher.nodeHash(c, fr);
        sr = TreeHasher.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = TreeHasher.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException(what, new ProofFailure.WrongProofLength(proof.size()));
    }
    return new Hash[] {fr, sr};
  }
}
