package org.salus.core.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 §2.1 written out literally, over a list of leaf hashes: MTH, PATH and PROOF by their
 * recursive definitions. Slow and obviously correct; the oracle for the fast code.
 */
final class ReferenceTree {

  private final List<Hash> leaves;

  ReferenceTree(List<Hash> leaves) {
    this.leaves = List.copyOf(leaves);
  }

  Hash mth(int start, int end) {
    int n = end - start;
    if (n == 0) {
      return TreeHasher.emptyRoot();
    }
    if (n == 1) {
      return leaves.get(start);
    }
    int k = k(n);
    return TreeHasher.nodeHash(mth(start, start + k), mth(start + k, end));
  }

  List<Hash> path(int m, int start, int end) {
    int n = end - start;
    List<Hash> out = new ArrayList<>();
    if (n == 1) {
      return out;
    }
    int k = k(n);
    if (m < k) {
      out.addAll(path(m, start, start + k));
      out.add(mth(start + k, end));
    } else {
      out.addAll(path(m - k, start + k, end));
      out.add(mth(start, start + k));
    }
    return out;
  }

  List<Hash> proof(int m, int n) {
    return subproof(m, 0, n, true);
  }

  private List<Hash> subproof(int m, int start, int end, boolean b) {
    int n = end - start;
    List<Hash> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(start, end));
      }
      return out;
    }
    int k = k(n);
    if (m <= k) {
      out.addAll(subproof(m, start, start + k, b));
      out.add(mth(start + k, end));
    } else {
      out.addAll(subproof(m - k, start + k, end, false));
      out.add(mth(start, start + k));
    }
    return out;
  }

  // The largest power of two smaller than n.
  private static int k(int n) {
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }
}
