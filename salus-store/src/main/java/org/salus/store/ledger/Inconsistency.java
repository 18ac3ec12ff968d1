package org.salus.store.ledger;

import org.salus.core.ledger.merkle.Hash;

/** The first thing {@link LedgerVerifier} found wrong, with the evidence. */
public sealed interface Inconsistency {

  /** One line for people: what, where, expected against found. */
  String describe();

  /** Entries must be numbered 0, 1, 2, ... without gaps. */
  record EntryGap(long expectedIndex, long foundIndex) implements Inconsistency {
    @Override
    public String describe() {
      return "entry " + expectedIndex + " is missing (next stored entry is " + foundIndex + ")";
    }
  }

  /** A stored leaf hash is not the hash of the stored entry. */
  record LeafHashMismatch(long index, Hash stored, Hash calculated) implements Inconsistency {
    @Override
    public String describe() {
      return "entry " + index + ": stored leaf hash " + stored + ", calculated " + calculated;
    }
  }

  /** A stored subtree hash is not the hash recomputed from the entries. */
  record NodeMismatch(int level, long index, Hash stored, Hash calculated)
      implements Inconsistency {
    @Override
    public String describe() {
      return "node "
          + level
          + "/"
          + index
          + " (entries "
          + (index << level)
          + ".."
          + (((index + 1) << level) - 1)
          + "): stored "
          + stored
          + ", calculated "
          + calculated;
    }
  }

  /** A subtree that the entries complete has no stored hash, or one is stored too many. */
  record NodeCount(long stored, long expected) implements Inconsistency {
    @Override
    public String describe() {
      return stored + " stored tree nodes, " + expected + " expected";
    }
  }

  /**
   * A stored leaf tile (16 leaf hashes that proofs read) differs from the leaf hashes of its
   * entries.
   */
  record TileMismatch(long tile) implements Inconsistency {
    @Override
    public String describe() {
      return "leaf tile "
          + tile
          + " (entries "
          + tile * LeafTiles.WIDTH
          + ".."
          + ((tile + 1) * LeafTiles.WIDTH - 1)
          + ") does not hold the leaf hashes of its entries";
    }
  }

  /** A leaf tile is stored for entries that the log does not hold. */
  record TileBeyondLog(long tile, long logSize) implements Inconsistency {
    @Override
    public String describe() {
      return "leaf tile " + tile + " is beyond the " + logSize + " stored entries";
    }
  }

  /** A checkpoint's root is not the root of the entries below its size. */
  record CheckpointRootMismatch(long size, Hash expected, Hash calculated)
      implements Inconsistency {
    @Override
    public String describe() {
      return "checkpoint " + size + ": signed root " + expected + ", calculated " + calculated;
    }
  }

  /** A checkpoint claims more entries than are stored. */
  record CheckpointBeyondLog(long size, long logSize) implements Inconsistency {
    @Override
    public String describe() {
      return "checkpoint " + size + " is beyond the " + logSize + " stored entries";
    }
  }

  /** A checkpoint is not signed by the node's key. */
  record BadCheckpointSignature(long size) implements Inconsistency {
    @Override
    public String describe() {
      return "checkpoint " + size + " is not signed by the log key";
    }
  }

  /** A stored cosignature does not verify with its witness's key. */
  record BadCosignature(long size, String witness) implements Inconsistency {
    @Override
    public String describe() {
      return "checkpoint " + size + ": cosignature of " + witness + " does not verify";
    }
  }

  /**
   * A checkpoint is signed under the log's name by another key than the one of its period: the key
   * before a rotation signed a checkpoint after the handover, or a later key signed one before it.
   */
  record WrongCheckpointKey(long size, String expectedKeyId, long periodFrom, String foundKeyId)
      implements Inconsistency {
    @Override
    public String describe() {
      return "checkpoint "
          + size
          + " is signed by key "
          + foundKeyId
          + ", but the log key for sizes from "
          + periodFrom
          + " on is "
          + expectedKeyId;
    }
  }

  /** A {@code KeyRotation} entry names no usable new key. */
  record BadKeyRotation(long index, String reason) implements Inconsistency {
    @Override
    public String describe() {
      return "key rotation at entry " + index + ": " + reason;
    }
  }

  /**
   * A {@code KeyRotation} entry at {@code index} has no handover checkpoint of size {@code index +
   * 1} signed by the key it replaces, so nothing the old key signed hands over to the new one.
   */
  record RotationWithoutCheckpoint(long index, String newKeyId) implements Inconsistency {
    @Override
    public String describe() {
      return "key rotation at entry "
          + index
          + " (new key "
          + newKeyId
          + ") has no handover checkpoint of size "
          + (index + 1)
          + " signed by the key it replaces";
    }
  }
}
