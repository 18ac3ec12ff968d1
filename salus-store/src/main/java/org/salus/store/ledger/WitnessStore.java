package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.witness.ForkEvidence;

/**
 * This node's state as a witness of other logs: the latest checkpoint it cosigned per origin (to
 * restore a {@code CheckpointWitness}), the key rotations it accepted per origin, and the forks it
 * detected, which {@link LedgerVerifier} reports.
 */
public final class WitnessStore {

  private final Connection c;

  public WitnessStore(Connection c) {
    this.c = c;
  }

  public Optional<SignedCheckpoint> latest(String origin) {
    try (PreparedStatement s =
        c.prepareStatement("SELECT note FROM ledger_witnessed WHERE origin = ?")) {
      s.setString(1, origin);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(SignedCheckpoint.parse(r.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read witness state", e);
    }
  }

  /**
   * Replaces the latest cosigned checkpoint of its origin, in one statement: an update of the row,
   * or the first insert. (Deleting and re-inserting the key was two transactions, and DuckDB
   * refuses to re-insert a key whose deleted version another open transaction may still see.)
   */
  public void saveLatest(SignedCheckpoint cosigned) {
    String origin = cosigned.checkpoint().origin();
    if (update("UPDATE ledger_witnessed SET note = ? WHERE origin = ?", cosigned.encode(), origin)
        == 0) {
      update(
          "INSERT INTO ledger_witnessed (origin, note) VALUES (?, ?)", origin, cosigned.encode());
    }
  }

  /** The rotation proofs accepted for {@code origin}, in log order. */
  public List<ProofFile> rotations(String origin) {
    List<ProofFile> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT proof FROM ledger_witness_rotation WHERE origin = ? ORDER BY entry_index")) {
      s.setString(1, origin);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(ProofFile.parse(r.getString(1)));
        }
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read key rotations", e);
    }
    return out;
  }

  /**
   * Keeps an accepted rotation of {@code origin}, then the checkpoint cosigned with it (its
   * handover) as the latest. A crash between the two leaves the new key with an older latest
   * checkpoint, which the log's next consistency proof extends.
   */
  public void saveRotation(String origin, ProofFile rotation, SignedCheckpoint cosigned) {
    update(
        "INSERT INTO ledger_witness_rotation (origin, entry_index, proof) VALUES (?, ?, ?)",
        origin,
        rotation.index(),
        rotation.encode());
    saveLatest(cosigned);
  }

  /**
   * The forks kept for {@code origin}, oldest first (without the offered proof): a witness that
   * restarts stays refusing a log it caught forking.
   */
  public List<ForkEvidence> forks(String origin) {
    List<ForkEvidence> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT cosigned_note, offered_note FROM ledger_fork WHERE origin = ?"
                + " ORDER BY detected_at")) {
      s.setString(1, origin);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new ForkEvidence(
                  SignedCheckpoint.parse(r.getString(1)),
                  SignedCheckpoint.parse(r.getString(2)),
                  Optional.empty(),
                  Optional.empty()));
        }
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read forks", e);
    }
    return out;
  }

  /** Keeps a fork's evidence. */
  public void recordFork(ForkEvidence fork, Instant now) {
    update(
        "INSERT INTO ledger_fork (origin, detected_at, cosigned_note, offered_note, description)"
            + " VALUES (?, ?, ?, ?, ?)",
        fork.cosigned().checkpoint().origin(),
        Timestamp.from(now),
        fork.cosigned().encode(),
        fork.offered().encode(),
        fork.describe());
  }

  private int update(String sql, Object... args) {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      int rows = s.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return rows;
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.write-failed", "cannot store witness state", e);
    }
  }
}
