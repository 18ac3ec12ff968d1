package org.salus.core.ledger.merkle;

/** Why a Merkle proof was refused, with the evidence. */
public sealed interface ProofFailure {

  /** A stable code suffix, for example {@code root-mismatch}. */
  String kind();

  /** What the failure means, for a message. */
  String describe();

  /** The root the proof leads to is not the root that was trusted. */
  record RootMismatch(Hash expected, Hash calculated) implements ProofFailure {
    @Override
    public String kind() {
      return "root-mismatch";
    }

    @Override
    public String describe() {
      return "expected root " + expected + ", calculated " + calculated;
    }
  }

  /** The leaf index is not inside the tree. */
  record IndexOutOfRange(long index, long treeSize) implements ProofFailure {
    @Override
    public String kind() {
      return "index-out-of-range";
    }

    @Override
    public String describe() {
      return "index " + index + " is not below tree size " + treeSize;
    }
  }

  /** A consistency proof from a larger tree to a smaller one. */
  record SizesOutOfOrder(long size1, long size2) implements ProofFailure {
    @Override
    public String kind() {
      return "sizes-out-of-order";
    }

    @Override
    public String describe() {
      return "size1 " + size1 + " is larger than size2 " + size2;
    }
  }

  /** The proof has the wrong number of hashes for its sizes. */
  record WrongProofLength(int length) implements ProofFailure {
    @Override
    public String kind() {
      return "wrong-proof-length";
    }

    @Override
    public String describe() {
      return "a proof of " + length + " hashes does not fit the tree sizes";
    }
  }
}
