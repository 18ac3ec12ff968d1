package org.salus.core.ledger.proof;

import java.util.List;
import org.salus.core.ledger.note.Checkpoint;

/** An entry proven to be in the log, and the witnesses whose cosignatures were checked. */
public record VerifiedEntry(
    long index, byte[] entry, Checkpoint checkpoint, List<String> witnesses) {

  public VerifiedEntry {
    entry = entry.clone();
    witnesses = List.copyOf(witnesses);
  }

  @Override
  public byte[] entry() {
    return entry.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifiedEntry v
        && index == v.index
        && java.util.Arrays.equals(entry, v.entry)
        && checkpoint.equals(v.checkpoint)
        && witnesses.equals(v.witnesses);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(index, java.util.Arrays.hashCode(entry), checkpoint, witnesses);
  }

  @Override
  public String toString() {
    return "VerifiedEntry[index=" + index + ", checkpoint size " + checkpoint.size() + "]";
  }
}
