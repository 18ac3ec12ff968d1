package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.InclusionProof;
import org.salus.core.ledger.merkle.Prefetch;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.proof.ProofFile;

/** Proofs out of a node's stored ledger: what the CLI, the patient and auditor endpoints serve. */
public final class LedgerProofs implements AutoCloseable {

  private final Connection c;
  private final BatchNodeReader batch;

  public LedgerProofs(Connection c) {
    this.c = c;
    this.batch = new BatchNodeReader(c);
  }

  /** An inclusion proof, read with two queries (see {@link Prefetch}). */
  public InclusionProof inclusion(long index, long treeSize) {
    return Prefetch.build(batch, b -> b.inclusion(index, treeSize));
  }

  /** A consistency proof, read with two queries. */
  public ConsistencyProof consistency(long size1, long size2) {
    return Prefetch.build(batch, b -> b.consistency(size1, size2));
  }

  /** A tree root, read with two queries. */
  public Hash root(long size) {
    return Prefetch.build(batch, b -> b.root(size));
  }

  /** The stored bytes of entry {@code index}. */
  public byte[] entry(long index) {
    try (PreparedStatement s = c.prepareStatement("SELECT entry FROM ledger_entry WHERE idx = ?")) {
      s.setLong(1, index);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new LedgerStoreException("ledger.store.no-entry", "no entry " + index);
        }
        return r.getBytes(1);
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read entry " + index, e);
    }
  }

  /**
   * A tlog-proof file for entry {@code index} against the latest stored checkpoint (with its
   * cosignatures).
   *
   * @throws LedgerStoreException {@code ledger.store.no-checkpoint} if no checkpoint covers it
   */
  public ProofFile proofFile(long index) {
    SignedCheckpoint cp =
        new CheckpointStore(c)
            .latest()
            .filter(x -> x.checkpoint().size() > index)
            .orElseThrow(
                () ->
                    new LedgerStoreException(
                        "ledger.store.no-checkpoint", "no checkpoint covers entry " + index));
    InclusionProof p = inclusion(index, cp.checkpoint().size());
    return new ProofFile(entry(index), index, p.hashes(), cp);
  }

  /** Holds no resources beyond the caller's connection; closing is for symmetry with readers. */
  @Override
  public void close() {}
}
