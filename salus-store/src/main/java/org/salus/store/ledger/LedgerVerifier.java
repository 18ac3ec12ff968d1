package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.salus.core.ledger.merkle.CompactTree;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.StoredNode;
import org.salus.core.ledger.merkle.StridedHashSource;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.NoteException;
import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;

/**
 * Recomputes a node's tree from its stored entries and checks, in one pass: leaf hashes, every
 * stored subtree hash, every checkpoint's signature and root, and every cosignature. Stops at the
 * first inconsistency and says precisely where it is.
 */
public final class LedgerVerifier {

  private LedgerVerifier() {}

  /**
   * @param logKey the node's own checkpoint key
   * @param witnesses the cosigner keys of the federation's witnesses
   */
  public static VerifyReport verify(Connection c, VerifierKey logKey, List<VerifierKey> witnesses) {
    try {
      List<SignedCheckpoint> checkpoints = new CheckpointStore(c).all();
      Pass pass = new Pass(c, logKey, witnesses, checkpoints);
      Optional<Inconsistency> first = pass.run();
      return new VerifyReport(
          pass.entries, checkpoints.size(), pass.cosignatures, pass.unknown, first, forks(c));
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read the ledger", e);
    }
  }

  private static List<String> forks(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s =
            c.prepareStatement("SELECT description FROM ledger_fork ORDER BY detected_at");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  /** One verification pass; the entry and node cursors advance together. */
  private static final class Pass {
    private final Connection c;
    private final VerifierKey logKey;
    private final List<VerifierKey> witnesses;
    private final Deque<SignedCheckpoint> pending;
    private final CompactTree tree = new CompactTree();
    private long entries;
    private long storedNodes;
    private long expectedNodes;
    private int cosignatures;
    private int unknown;

    Pass(
        Connection c, VerifierKey logKey, List<VerifierKey> witnesses, List<SignedCheckpoint> cps) {
      this.c = c;
      this.logKey = logKey;
      this.witnesses = witnesses;
      this.pending = new ArrayDeque<>(cps);
    }

    Optional<Inconsistency> run() throws SQLException {
      Optional<Inconsistency> atZero = checkpointsAt(0);
      if (atZero.isPresent()) {
        return atZero;
      }
      // Nodes in the order the tree completes them: by last covered leaf, then level.
      try (PreparedStatement es =
              c.prepareStatement("SELECT idx, leaf_hash, entry FROM ledger_entry ORDER BY idx");
          PreparedStatement ns =
              c.prepareStatement(
                  "SELECT level, idx, hash FROM ledger_node ORDER BY (idx + 1) << level, level");
          ResultSet er = es.executeQuery();
          ResultSet nr = ns.executeQuery()) {
        while (er.next()) {
          Optional<Inconsistency> bad = entry(er, nr);
          if (bad.isPresent()) {
            return bad;
          }
        }
        while (nr.next()) {
          storedNodes++;
        }
      }
      if (storedNodes != expectedNodes) {
        return Optional.of(new Inconsistency.NodeCount(storedNodes, expectedNodes));
      }
      if (!pending.isEmpty()) {
        return Optional.of(
            new Inconsistency.CheckpointBeyondLog(pending.peek().checkpoint().size(), entries));
      }
      return Optional.empty();
    }

    private Optional<Inconsistency> entry(ResultSet er, ResultSet nr) throws SQLException {
      long idx = er.getLong(1);
      if (idx != entries) {
        return Optional.of(new Inconsistency.EntryGap(entries, idx));
      }
      Hash stored = Hash.of(er.getBytes(2));
      Hash calculated = TreeHasher.leafHash(er.getBytes(3));
      if (!stored.equals(calculated)) {
        return Optional.of(new Inconsistency.LeafHashMismatch(idx, stored, calculated));
      }
      for (StoredNode n : tree.append(calculated)) {
        if (n.level() == 0 || !StridedHashSource.isStored(n.level())) {
          continue;
        }
        expectedNodes++;
        if (!nr.next()) {
          return Optional.of(new Inconsistency.NodeCount(storedNodes, expectedNodes));
        }
        storedNodes++;
        Hash h = Hash.of(nr.getBytes(3));
        if (nr.getInt(1) != n.level() || nr.getLong(2) != n.index() || !h.equals(n.hash())) {
          return Optional.of(new Inconsistency.NodeMismatch(n.level(), n.index(), h, n.hash()));
        }
      }
      entries++;
      return checkpointsAt(entries);
    }

    private Optional<Inconsistency> checkpointsAt(long size) {
      while (!pending.isEmpty() && pending.peek().checkpoint().size() == size) {
        Optional<Inconsistency> bad = checkpoint(pending.poll());
        if (bad.isPresent()) {
          return bad;
        }
      }
      return Optional.empty();
    }

    private Optional<Inconsistency> checkpoint(SignedCheckpoint cp) {
      long size = cp.checkpoint().size();
      try {
        cp.verifyLog(logKey);
      } catch (NoteException e) {
        return Optional.of(new Inconsistency.BadCheckpointSignature(size));
      }
      Hash root = tree.root();
      if (!root.equals(cp.checkpoint().root())) {
        return Optional.of(
            new Inconsistency.CheckpointRootMismatch(size, cp.checkpoint().root(), root));
      }
      for (NoteSignature s : cp.signatures()) {
        if (s.isBy(logKey)) {
          continue;
        }
        Optional<VerifierKey> w = witnesses.stream().filter(s::isBy).findFirst();
        if (w.isEmpty()) {
          unknown++;
        } else if (org.salus.core.ledger.note.Cosignatures.verify(cp.checkpoint(), s, w.get())
            .isEmpty()) {
          return Optional.of(new Inconsistency.BadCosignature(size, s.keyName()));
        } else {
          cosignatures++;
        }
      }
      return Optional.empty();
    }
  }
}
