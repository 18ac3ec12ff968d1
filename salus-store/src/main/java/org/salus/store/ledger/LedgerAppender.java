package org.salus.store.ledger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.CompactTree;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.StoredNode;
import org.salus.core.ledger.merkle.StridedHashSource;
import org.salus.core.ledger.merkle.TreeHasher;

/**
 * The durable, group-committing writer of a node's ledger. Callers on any thread {@link #append}
 * entries; one writer thread takes everything queued, writes the entries and the tree nodes they
 * complete in one transaction, commits, and only then answers each caller with its index. A crash
 * loses only unacknowledged entries and never leaves a half-written tree: entries and nodes commit
 * together.
 *
 * <p>Nodes are stored in the strided layout of {@link StridedHashSource}: levels 4, 8, 12, ...; and
 * each complete run of 16 leaf hashes as one {@link LeafTiles tile}.
 *
 * <p>The appender owns its connection (auto-commit is switched off); it must be the only writer of
 * the ledger tables.
 */
public final class LedgerAppender implements AutoCloseable {

  private static final int MAX_BATCH = 8192;

  private record Request(List<byte[]> entries, CompletableFuture<Long> firstIndex) {}

  private final Connection connection;
  private final BatchWriter writer;
  private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private CompactTree tree;
  // The leaf hashes of the incomplete tile at the end of the log: slots [0, size % 16).
  private byte[] partialTile;
  private volatile TreeHead head;
  private volatile boolean closed;

  private LedgerAppender(Connection connection, CompactTree tree, byte[] partialTile) {
    this.connection = connection;
    this.writer = new BatchWriter(connection);
    this.tree = tree;
    this.partialTile = partialTile;
    this.head = new TreeHead(tree.size(), tree.root());
    this.thread = Thread.ofPlatform().name("ledger-appender").daemon().start(this::run);
  }

  /**
   * Opens the ledger in {@code connection}, restoring the committed tree, and writes the leaf tiles
   * a ledger from before {@code V5__ledger_tiles} lacks (once; committed in chunks).
   */
  public static LedgerAppender open(Connection connection) {
    try {
      connection.setAutoCommit(false);
      long size;
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entry")) {
        r.next();
        size = r.getLong(1);
      }
      CompactTree tree;
      try (JdbcHashSource source = new JdbcHashSource(connection)) {
        tree = CompactTree.restore(size, source);
      }
      connection.commit();
      LeafTiles.backfill(connection, size);
      long tileStart = size - size % LeafTiles.WIDTH;
      byte[] partial = new byte[LeafTiles.BYTES];
      byte[] stored = LeafTiles.leaves(connection, tileStart, size);
      if (stored.length != (size - tileStart) * Hash.SIZE) {
        throw new LedgerStoreException(
            "ledger.store.entry-gap",
            "entries " + tileStart + ".." + (size - 1) + " have a gap; run `salus ledger verify`");
      }
      System.arraycopy(stored, 0, partial, 0, stored.length);
      connection.commit();
      return new LedgerAppender(connection, tree, partial);
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.open-failed", "cannot open the ledger", e);
    }
  }

  /** Appends one event; returns its index once committed. */
  public long append(LedgerEvent event) {
    return append(EntryCodec.encode(event));
  }

  /** Appends one encoded entry; returns its index once committed. */
  public long append(byte[] entry) {
    return appendAll(List.of(entry));
  }

  /** Appends entries in order, in one commit; returns the index of the first. */
  public long appendAll(List<byte[]> entries) {
    if (closed) {
      throw new LedgerStoreException("ledger.store.closed", "the ledger appender is closed");
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    queue.add(new Request(List.copyOf(entries), done));
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerStoreException("ledger.store.interrupted", "interrupted while appending");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LedgerStoreException l) {
        throw l;
      }
      throw new LedgerStoreException("ledger.store.append-failed", "append failed", e.getCause());
    }
  }

  /** The committed tree: every entry below {@code size} is durable. */
  public TreeHead head() {
    return head;
  }

  private void run() {
    List<Request> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Request first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int count = first.entries().size();
        while (count < MAX_BATCH) {
          Request next = queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
          count += next.entries().size();
        }
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Request> batch) {
    CompactTree work = tree.copy();
    long first = work.size();
    List<byte[]> entries = new ArrayList<>();
    List<Hash> leaves = new ArrayList<>();
    List<StoredNode> nodes = new ArrayList<>();
    byte[] tile = partialTile.clone();
    List<byte[]> tiles = new ArrayList<>();
    long firstTile = first / LeafTiles.WIDTH;
    for (Request r : batch) {
      for (byte[] e : r.entries()) {
        Hash leaf = TreeHasher.leafHash(e);
        int slot = (int) (work.size() % LeafTiles.WIDTH);
        leaf.copyInto(tile, slot * Hash.SIZE);
        if (slot == LeafTiles.WIDTH - 1) {
          tiles.add(tile);
          tile = new byte[LeafTiles.BYTES];
        }
        entries.add(e);
        leaves.add(leaf);
        for (StoredNode n : work.append(leaf)) {
          if (n.level() > 0 && StridedHashSource.isStored(n.level())) {
            nodes.add(n);
          }
        }
      }
    }
    try {
      writer.entries(first, entries, leaves);
      writer.nodes(nodes);
      writer.tiles(firstTile, tiles);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollback();
      LedgerStoreException failure =
          new LedgerStoreException(
              "ledger.store.append-failed",
              "cannot commit entries " + first + ".." + (first + entries.size() - 1),
              e);
      batch.forEach(r -> r.firstIndex().completeExceptionally(failure));
      return;
    }
    tree = work;
    partialTile = tile;
    head = new TreeHead(work.size(), work.root());
    long at = first;
    for (Request r : batch) {
      r.firstIndex().complete(at);
      at += r.entries().size();
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the next commit reports it.
    }
  }

  /** Commits what is queued, stops the writer; the connection stays open (the caller's). */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.close();
  }
}
