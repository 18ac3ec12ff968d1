package org.salus.core.ledger.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds roots and proofs from stored perfect subtrees (see {@link HashSource} for the layout),
 * following the recursive definitions of RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1 (SUBPROOF). Each
 * proof reads {@code O(log n)} stored hashes: every subtree on the way is perfect except at most
 * one right-border subtree, which is folded from at most {@code log2(n)} perfect pieces.
 */
public final class ProofBuilder {

  private final HashSource source;

  public ProofBuilder(HashSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** The root hash of the first {@code size} leaves. */
  public Hash root(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("tree size " + size + " is negative");
    }
    return size == 0 ? TreeHasher.emptyRoot() : subtreeHash(0, size);
  }

  /** The inclusion proof of leaf {@code index} in the tree of {@code treeSize} leaves. */
  public InclusionProof inclusion(long index, long treeSize) {
    if (index < 0 || index >= treeSize) {
      throw new ProofException(
          "cannot build an inclusion proof", new ProofFailure.IndexOutOfRange(index, treeSize));
    }
    List<Hash> path = new ArrayList<>(64);
    path(index, 0, treeSize, path);
    return new InclusionProof(index, treeSize, path);
  }

  /** The consistency proof from the tree of {@code size1} leaves to that of {@code size2}. */
  public ConsistencyProof consistency(long size1, long size2) {
    if (size1 < 0 || size1 > size2) {
      throw new ProofException(
          "cannot build a consistency proof", new ProofFailure.SizesOutOfOrder(size1, size2));
    }
    List<Hash> proof = new ArrayList<>(64);
    if (size1 > 0 && size1 < size2) {
      subproof(size1, 0, size2, true, proof);
    }
    return new ConsistencyProof(size1, size2, proof);
  }

  // PATH(m, D[start:end]), appending the siblings leaf side first.
  private void path(long m, long start, long end, List<Hash> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, start, start + k, out);
      out.add(subtreeHash(start + k, end));
    } else {
      path(m - k, start + k, end, out);
      out.add(subtreeHash(start, start + k));
    }
  }

  // SUBPROOF(m, D[start:end], b).
  private void subproof(long m, long start, long end, boolean whole, List<Hash> out) {
    long n = end - start;
    if (m == n) {
      if (!whole) {
        out.add(subtreeHash(start, end));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, start, start + k, whole, out);
      out.add(subtreeHash(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, out);
      out.add(subtreeHash(start, start + k));
    }
  }

  /**
   * MTH(D[start:end]) for a subtree of the RFC tree: {@code start} is aligned to the largest power
   * of two not above the length, so the range splits into perfect pieces of decreasing size, whose
   * right fold is the subtree hash.
   */
  private Hash subtreeHash(long start, long end) {
    Hash[] pieces = new Hash[64];
    int count = 0;
    long at = start;
    while (at < end) {
      int level = 63 - Long.numberOfLeadingZeros(end - at);
      pieces[count++] = source.node(level, at >>> level);
      at += 1L << level;
    }
    Hash h = pieces[--count];
    while (count > 0) {
      h = TreeHasher.nodeHash(pieces[--count], h);
    }
    return h;
  }

  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
