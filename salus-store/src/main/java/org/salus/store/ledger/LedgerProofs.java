package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.InclusionProof;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.proof.ProofFile;

/**
 * Proofs out of a node's stored ledger: what the CLI, the patient and auditor endpoints serve.
 * Keeps the upper tree levels in memory ({@link JdbcHashSource#cachingUpperLevels}), so a proof
 * costs one primary-key read of a leaf tile. Not thread-safe.
 */
public final class LedgerProofs implements AutoCloseable {

  private final Connection c;
  private final JdbcHashSource source;
  private final ProofBuilder builder;
  private PreparedStatement entryRead;

  public LedgerProofs(Connection c) {
    this.c = c;
    this.source = JdbcHashSource.cachingUpperLevels(c);
    this.builder = new ProofBuilder(source);
  }

  public InclusionProof inclusion(long index, long treeSize) {
    return builder.inclusion(index, treeSize);
  }

  public ConsistencyProof consistency(long size1, long size2) {
    return builder.consistency(size1, size2);
  }

  public Hash root(long size) {
    return builder.root(size);
  }

  /** The stored bytes of entry {@code index}. */
  public byte[] entry(long index) {
    try {
      if (entryRead == null) {
        entryRead = c.prepareStatement("SELECT entry FROM ledger_entry WHERE idx = ?");
      }
      entryRead.setLong(1, index);
      try (ResultSet r = entryRead.executeQuery()) {
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

  /**
   * A tlog-proof file for entry {@code index} against the stored checkpoint of size {@code size}.
   *
   * @throws LedgerStoreException {@code ledger.store.no-checkpoint} if none is stored at that size
   */
  public ProofFile proofFile(long index, long size) {
    SignedCheckpoint cp =
        new CheckpointStore(c)
            .at(size)
            .filter(x -> x.checkpoint().size() > index)
            .orElseThrow(
                () ->
                    new LedgerStoreException(
                        "ledger.store.no-checkpoint",
                        "no checkpoint of size " + size + " covers entry " + index));
    return new ProofFile(entry(index), index, inclusion(index, size).hashes(), cp);
  }

  @Override
  public void close() {
    source.close();
    if (entryRead != null) {
      try {
        entryRead.close();
      } catch (SQLException e) {
        throw new LedgerStoreException("ledger.store.read-failed", "cannot close entry reads", e);
      }
    }
  }
}
