package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.merkle.CompactTree;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.StoredNode;
import org.salus.core.ledger.merkle.StridedHashSource;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.NoteException;
import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.KeyChain;

/**
 * Recomputes a node's tree from its stored entries and checks, in one pass: leaf hashes, every
 * stored subtree hash, every checkpoint's signature and root, and every cosignature. Stops at the
 * first inconsistency and says precisely where it is.
 *
 * <p>Checkpoint keys follow the log itself: the pass starts with the log's first key, and a {@code
 * KeyRotation} entry at index {@code r} names the next one. The checkpoint of size {@code r + 1}
 * (the handover) must exist and be signed by the key being replaced; every checkpoint larger than
 * {@code r + 1} must be signed by the new key. The node's key history file is not trusted here.
 */
public final class LedgerVerifier {

  private LedgerVerifier() {}

  /**
   * @param logKey the log's first checkpoint key (later ones are named by its rotation entries)
   * @param witnesses the cosigner keys of the federation's witnesses
   */
  public static VerifyReport verify(Connection c, VerifierKey logKey, List<VerifierKey> witnesses) {
    return verify(c, logKey, witnesses, WINDOW);
  }

  /**
   * As {@link #verify(Connection, VerifierKey, List)}, reading entries in windows of {@code
   * window}.
   */
  static VerifyReport verify(
      Connection c, VerifierKey logKey, List<VerifierKey> witnesses, int window) {
    try {
      List<SignedCheckpoint> checkpoints = new CheckpointStore(c).all();
      Pass pass = new Pass(c, logKey, witnesses, checkpoints, window);
      Optional<Inconsistency> first = pass.run();
      return new VerifyReport(
          pass.entries,
          checkpoints.size(),
          pass.cosignatures,
          pass.unknown,
          first,
          forks(c),
          pass.periods);
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

  /** Indices per entry query: no query sorts more than this many rows. */
  static final int WINDOW = 1 << 16;

  /**
   * Rows in key order (the key is the first column, a {@code BIGINT}) without making the database
   * sort them when it already returns them so: the unsorted query's rows are taken while each key
   * is the one expected next (the first, then the previous plus one). At the first other key the
   * sorted query is run instead and as many rows as were taken are skipped: those were the smallest
   * keys, one each, so the caller sees exactly the rows and the order of the sorted query. DuckDB
   * returns a table scan in insertion order, which for the ledger is key order, so the sort (about
   * a third of the reading time at a million entries) is paid only when something is missing or out
   * of place.
   */
  private static final class InOrderRows implements AutoCloseable {
    private final PreparedStatement unsorted;
    private final PreparedStatement sorted;
    private final Object[] params;
    private ResultSet rows;
    private boolean inSortedQuery;
    private long expected;
    private long taken;

    InOrderRows(Connection c, String unsortedSql, String sortedSql, int params)
        throws SQLException {
      this.unsorted = c.prepareStatement(unsortedSql);
      this.sorted = c.prepareStatement(sortedSql);
      this.params = new Object[params];
    }

    /** Starts over with the query's parameters; {@code first} is the key expected first. */
    void open(long first, Object... values) throws SQLException {
      closeRows();
      System.arraycopy(values, 0, params, 0, params.length);
      expected = first;
      taken = 0;
      inSortedQuery = false;
      rows = execute(unsorted);
    }

    /** Starts over with the sorted query only. */
    void openSorted(Object... values) throws SQLException {
      closeRows();
      System.arraycopy(values, 0, params, 0, params.length);
      inSortedQuery = true;
      rows = execute(sorted);
    }

    boolean next() throws SQLException {
      if (!rows.next()) {
        return false;
      }
      if (inSortedQuery) {
        return true;
      }
      if (rows.getLong(1) == expected) {
        expected++;
        taken++;
        return true;
      }
      rows.close();
      rows = execute(sorted);
      inSortedQuery = true;
      for (long i = 0; i < taken; i++) {
        if (!rows.next()) {
          return false;
        }
      }
      return rows.next();
    }

    ResultSet row() {
      return rows;
    }

    private ResultSet execute(PreparedStatement s) throws SQLException {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      return s.executeQuery();
    }

    private void closeRows() throws SQLException {
      if (rows != null) {
        rows.close();
        rows = null;
      }
    }

    @Override
    public void close() throws SQLException {
      closeRows();
      unsorted.close();
      sorted.close();
    }
  }

  /**
   * Entries in index order, read in windows of indices {@code [w, w + window)}: DuckDB finds a
   * window's rows from its zone maps and PostgreSQL from the primary key, and no query sorts more
   * than a window ({@link InOrderRows}: none at all while the rows come in order), where one {@code
   * ORDER BY idx} over the table would sort every entry before returning the first. After the first
   * empty window, one last query returns every entry left (negative or beyond a gap), so nothing
   * stored escapes the pass.
   */
  private static final class EntryCursor implements AutoCloseable {
    private static final String COLUMNS = "SELECT idx, leaf_hash, entry FROM ledger_entry";
    private static final String WINDOW = COLUMNS + " WHERE idx >= ? AND idx < ?";
    private final InOrderRows window;
    private final InOrderRows rest;
    private final int size;
    private InOrderRows rows;
    private long from;
    private boolean sawRow;
    private boolean last;

    EntryCursor(Connection c, int size) throws SQLException {
      this.size = size;
      this.window = new InOrderRows(c, WINDOW, WINDOW + " ORDER BY idx", 2);
      String rest = COLUMNS + " WHERE idx < 0 OR idx >= ?";
      this.rest = new InOrderRows(c, rest, rest + " ORDER BY idx", 1);
    }

    boolean next() throws SQLException {
      while (true) {
        if (rows != null) {
          if (rows.next()) {
            sawRow = true;
            return true;
          }
          rows = null;
          if (last) {
            return false;
          }
          if (!sawRow) {
            last = true;
            rest.openSorted(from);
            rows = rest;
            continue;
          }
        }
        window.open(from, from, from + size);
        from += size;
        sawRow = false;
        rows = window;
      }
    }

    ResultSet row() {
      return rows.row();
    }

    @Override
    public void close() throws SQLException {
      window.close();
      rest.close();
    }
  }

  /** Entries read and leaf-hashed per step of the pipeline. */
  private static final int CHUNK = 4096;

  /**
   * Rows of entries read in one step, and (filled by the hashing thread) their leaf hashes, the
   * stored-level subtrees each completes and the roots at checkpoint sizes.
   */
  private static final class Chunk {
    final long[] idx = new long[CHUNK];
    final byte[][] storedLeaf = new byte[CHUNK][];
    final byte[][] entry = new byte[CHUNK][];
    final Hash[] calculated = new Hash[CHUNK];

    /** The entries that claim to be key rotations (null for every other row). */
    final byte[][] rotation = new byte[CHUNK][];

    /** Subtrees at stored levels completed by the entries; row i's end at {@code nodesEnd[i]}. */
    final List<StoredNode> nodes = new ArrayList<>();

    final int[] nodesEnd = new int[CHUNK];

    /** The tree's root after each row whose index + 1 is a checkpoint size, else null. */
    final Hash[] root = new Hash[CHUNK];

    int size;

    /**
     * Hashes every entry and appends it to {@code tree} (the pass's, touched only by the hashing
     * thread, one chunk after another); returns the first row whose stored leaf hash differs, or
     * -1. The tree assumes the rows are entries 0, 1, 2, ...; the calling thread checks that before
     * it uses anything of a row.
     */
    int hash(CompactTree tree, Set<Long> checkpointSizes) {
      int firstBad = -1;
      nodes.clear();
      for (int i = 0; i < size; i++) {
        Hash leaf = TreeHasher.leafHash(entry[i]);
        calculated[i] = leaf;
        rotation[i] = EntryCodec.isKeyRotation(entry[i]) ? entry[i] : null;
        entry[i] = null;
        if (firstBad < 0 && !leaf.equals(Hash.of(storedLeaf[i]))) {
          firstBad = i;
        }
        for (StoredNode n : tree.append(leaf)) {
          if (n.level() > 0 && StridedHashSource.isStored(n.level())) {
            nodes.add(n);
          }
        }
        nodesEnd[i] = nodes.size();
        root[i] = checkpointSizes.contains(tree.size()) ? tree.root() : null;
      }
      return firstBad;
    }
  }

  /**
   * One verification pass. The calling thread reads entries in chunks and, for the chunk before,
   * checks leaf hashes, nodes, tiles and checkpoints in order; a second thread meanwhile computes
   * the leaf hashes of the chunk just read and rebuilds the tree from them (all the SHA-256 work),
   * keeping the subtrees to check and the roots at checkpoint sizes. The entry, node and tile
   * cursors advance together, on the calling thread only.
   */
  private static final class Pass {
    private final Connection c;
    private final List<VerifierKey> witnesses;
    private final List<KeyChain.Period> periods = new ArrayList<>();
    private VerifierKey logKey;
    private long periodFrom;
    private VerifierKey nextKey;
    private long rotationIndex = -1;
    private final Deque<SignedCheckpoint> pending;
    private final CompactTree tree = new CompactTree();
    private final Set<Long> checkpointSizes = new HashSet<>();
    private Hash root = new CompactTree().root();
    private final byte[] tile = new byte[LeafTiles.BYTES];
    private final int window;
    private long entries;
    private long storedNodes;
    private long expectedNodes;
    private boolean tileRow;
    private int cosignatures;
    private int unknown;

    Pass(
        Connection c,
        VerifierKey logKey,
        List<VerifierKey> witnesses,
        List<SignedCheckpoint> cps,
        int window) {
      this.c = c;
      this.window = window;
      this.logKey = logKey;
      this.periods.add(new KeyChain.Period(0, logKey));
      this.witnesses = witnesses;
      this.pending = new ArrayDeque<>(cps);
      cps.forEach(cp -> checkpointSizes.add(cp.checkpoint().size()));
    }

    Optional<Inconsistency> run() throws SQLException {
      Optional<Inconsistency> atZero = checkpointsAt(0);
      if (atZero.isPresent()) {
        return atZero;
      }
      ExecutorService hasher =
          Executors.newSingleThreadExecutor(
              r -> Thread.ofPlatform().name("ledger-verify-hash").daemon().unstarted(r));
      // Nodes in the order the tree completes them: by last covered leaf, then level.
      try (EntryCursor er = new EntryCursor(c, window);
          PreparedStatement ns =
              c.prepareStatement(
                  "SELECT level, idx, hash FROM ledger_node ORDER BY (idx + 1) << level, level");
          InOrderRows tr =
              new InOrderRows(
                  c,
                  "SELECT idx, hashes FROM ledger_tile",
                  "SELECT idx, hashes FROM ledger_tile ORDER BY idx",
                  0);
          ResultSet nr = ns.executeQuery()) {
        tr.open(0);
        tileRow = tr.next();
        Chunk[] buffers = {new Chunk(), new Chunk()};
        Chunk previous = null;
        Future<Integer> previousBad = null;
        for (int step = 0; ; step++) {
          Chunk current = buffers[step % 2];
          read(er, current);
          Future<Integer> currentBad =
              current.size > 0 ? hasher.submit(() -> current.hash(tree, checkpointSizes)) : null;
          if (previous != null) {
            Optional<Inconsistency> bad = chunk(previous, await(previousBad), nr, tr);
            if (bad.isPresent()) {
              return bad;
            }
          }
          if (current.size == 0) {
            break;
          }
          previous = current;
          previousBad = currentBad;
        }
        while (nr.next()) {
          storedNodes++;
        }
        if (tileRow) {
          return Optional.of(new Inconsistency.TileBeyondLog(tr.row().getLong(1), entries));
        }
      } finally {
        hasher.shutdownNow();
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

    private static void read(EntryCursor er, Chunk into) throws SQLException {
      int n = 0;
      while (n < CHUNK && er.next()) {
        ResultSet r = er.row();
        into.idx[n] = r.getLong(1);
        into.storedLeaf[n] = r.getBytes(2);
        into.entry[n] = r.getBytes(3);
        n++;
      }
      into.size = n;
    }

    private static int await(Future<Integer> f) {
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerStoreException("ledger.store.interrupted", "interrupted while verifying");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new LedgerStoreException(
            "ledger.store.read-failed", "cannot hash the entries", e.getCause());
      }
    }

    private Optional<Inconsistency> chunk(Chunk k, int firstBad, ResultSet nr, InOrderRows tr)
        throws SQLException {
      for (int i = 0; i < k.size; i++) {
        Optional<Inconsistency> bad = entry(k, i, i == firstBad, nr, tr);
        if (bad.isPresent()) {
          return bad;
        }
      }
      return Optional.empty();
    }

    private Optional<Inconsistency> entry(
        Chunk k, int i, boolean leafDiffers, ResultSet nr, InOrderRows tr) throws SQLException {
      long idx = k.idx[i];
      if (idx != entries) {
        return Optional.of(new Inconsistency.EntryGap(entries, idx));
      }
      Hash calculated = k.calculated[i];
      if (leafDiffers) {
        return Optional.of(
            new Inconsistency.LeafHashMismatch(idx, Hash.of(k.storedLeaf[i]), calculated));
      }
      for (int j = i == 0 ? 0 : k.nodesEnd[i - 1]; j < k.nodesEnd[i]; j++) {
        StoredNode n = k.nodes.get(j);
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
      if (k.rotation[i] != null) {
        Optional<Inconsistency> bad = rotation(idx, k.rotation[i]);
        if (bad.isPresent()) {
          return bad;
        }
      }
      int slot = (int) (idx % LeafTiles.WIDTH);
      calculated.copyInto(tile, slot * Hash.SIZE);
      if (slot == LeafTiles.WIDTH - 1) {
        Optional<Inconsistency> bad = tile(idx / LeafTiles.WIDTH, tr);
        if (bad.isPresent()) {
          return bad;
        }
      }
      entries++;
      if (k.root[i] != null) {
        root = k.root[i];
      }
      return checkpointsAt(entries);
    }

    // Tiles are derived data: a missing one (a ledger not yet reopened since V5) is not an error,
    // but a stored one must hold exactly the leaf hashes of its entries.
    private Optional<Inconsistency> tile(long t, InOrderRows tr) throws SQLException {
      if (!tileRow || tr.row().getLong(1) != t) {
        return Optional.empty();
      }
      boolean same = Arrays.equals(tr.row().getBytes(2), tile);
      tileRow = tr.next();
      return same ? Optional.empty() : Optional.of(new Inconsistency.TileMismatch(t));
    }

    // The rotation entry names the next key; it takes over after the handover checkpoint.
    private Optional<Inconsistency> rotation(long idx, byte[] entry) {
      try {
        nextKey = KeyChain.rotatedKey(entry, logKey, idx);
        rotationIndex = idx;
        return Optional.empty();
      } catch (SalusException e) {
        return Optional.of(new Inconsistency.BadKeyRotation(idx, e.getMessage()));
      }
    }

    private Optional<Inconsistency> checkpointsAt(long size) {
      boolean handover = nextKey != null && size == rotationIndex + 1;
      boolean handedOver = false;
      while (!pending.isEmpty() && pending.peek().checkpoint().size() == size) {
        Optional<Inconsistency> bad = checkpoint(pending.poll());
        if (bad.isPresent()) {
          return bad;
        }
        handedOver = handover;
      }
      if (handover) {
        if (!handedOver) {
          return Optional.of(
              new Inconsistency.RotationWithoutCheckpoint(rotationIndex, nextKey.keyIdHex()));
        }
        logKey = nextKey;
        periodFrom = size + 1;
        periods.add(new KeyChain.Period(periodFrom, logKey));
        nextKey = null;
      }
      return Optional.empty();
    }

    private Optional<Inconsistency> checkpoint(SignedCheckpoint cp) {
      long size = cp.checkpoint().size();
      try {
        cp.verifyLog(logKey);
      } catch (NoteException e) {
        Optional<NoteSignature> other =
            cp.signatures().stream()
                .filter(s -> s.keyName().equals(logKey.name()) && s.keyId() != logKey.keyId())
                .findFirst();
        if (other.isPresent()) {
          return Optional.of(
              new Inconsistency.WrongCheckpointKey(
                  size, logKey.keyIdHex(), periodFrom, String.format("%08x", other.get().keyId())));
        }
        return Optional.of(new Inconsistency.BadCheckpointSignature(size));
      }
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
