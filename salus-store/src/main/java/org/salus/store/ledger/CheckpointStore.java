package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.Note;
import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;

/** Signed checkpoints and their witnesses' cosignatures (auto-commit connection). */
public final class CheckpointStore {

  private final Connection c;

  public CheckpointStore(Connection c) {
    this.c = c;
  }

  /** Signs the tree head with the node's key and stores it; returns the signed checkpoint. */
  public SignedCheckpoint publish(TreeHead head, NoteSigner log, Instant now) {
    Checkpoint cp = new Checkpoint(log.verifierKey().name(), head.size(), head.root());
    SignedCheckpoint signed = SignedCheckpoint.sign(cp, log);
    Optional<SignedCheckpoint> existing = at(head.size());
    if (existing.isPresent()) {
      return existing.get();
    }
    update(
        "INSERT INTO ledger_checkpoint (tree_size, note, created_at) VALUES (?, ?, ?)",
        head.size(),
        signed.encode(),
        Timestamp.from(now));
    return signed;
  }

  /** Stores a witness's cosignature line of the checkpoint at {@code size}. */
  public void addCosignature(long size, NoteSignature cosignature, Instant now) {
    update(
        "INSERT INTO ledger_cosignature (tree_size, witness, signature_line, received_at)"
            + " VALUES (?, ?, ?, ?)",
        size,
        cosignature.keyName(),
        cosignature.line(),
        Timestamp.from(now));
  }

  /** Every checkpoint, oldest first, with its stored cosignatures appended. */
  public List<SignedCheckpoint> all() {
    Map<Long, SignedCheckpoint> bySize = new LinkedHashMap<>();
    try (PreparedStatement s =
            c.prepareStatement("SELECT tree_size, note FROM ledger_checkpoint ORDER BY tree_size");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        bySize.put(r.getLong(1), SignedCheckpoint.parse(r.getString(2)));
      }
      try (PreparedStatement s2 =
              c.prepareStatement(
                  "SELECT tree_size, signature_line FROM ledger_cosignature"
                      + " ORDER BY tree_size, witness");
          ResultSet r2 = s2.executeQuery()) {
        while (r2.next()) {
          SignedCheckpoint cp = bySize.get(r2.getLong(1));
          if (cp != null) {
            bySize.put(r2.getLong(1), cp.with(parseLine(r2.getString(2))));
          }
        }
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read checkpoints", e);
    }
    return new ArrayList<>(bySize.values());
  }

  /** The checkpoint of tree size {@code size}, with cosignatures. */
  public Optional<SignedCheckpoint> at(long size) {
    return all().stream().filter(cp -> cp.checkpoint().size() == size).findFirst();
  }

  /** The largest checkpoint, with cosignatures. */
  public Optional<SignedCheckpoint> latest() {
    List<SignedCheckpoint> all = all();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  private static NoteSignature parseLine(String line) {
    // Reuse the note parser: a dummy body and the single stored line.
    return Note.parse("x\n\n" + line + "\n").signatures().get(0);
  }

  private void update(String sql, Object... args) {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new LedgerStoreException(
          "ledger.store.write-failed", "cannot store checkpoint data", e);
    }
  }
}
