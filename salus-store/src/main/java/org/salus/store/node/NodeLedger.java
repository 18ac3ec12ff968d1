package org.salus.store.node;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.salus.core.keys.SecretBytes;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.store.ledger.CheckpointStore;
import org.salus.store.ledger.LedgerAppender;
import org.salus.store.ledger.LedgerProofs;
import org.salus.store.ledger.LedgerStoreException;
import org.salus.store.ledger.LedgerVerifier;
import org.salus.store.ledger.TreeHead;
import org.salus.store.ledger.VerifyReport;

/**
 * A node's ledger: its log in the node's database, signed under the origin {@code salus.node/<node
 * id>} with the node's Ed25519 key until the first key rotation, then with the ledger's own key
 * ({@link LedgerKeyFiles}). Opens its own connection; close it when done.
 *
 * <p>A rotation ({@link #rotateKey}) writes the new key aside, appends a {@code KeyRotation} entry
 * naming it, stores the handover checkpoint (the tree up to and including that entry) signed with
 * the old key, records the rotation in the key history and only then makes the new key current.
 * Opening a ledger finishes a rotation that a crash interrupted after its entry was committed, so
 * the node always signs with the key its log says is valid.
 */
public final class NodeLedger implements AutoCloseable {

  private final Connection connection;
  private final NoteSigner firstSigner;
  private final LedgerKeyFiles keyFiles;
  private volatile NoteSigner signer;
  private volatile LedgerAppender appender;

  /**
   * A running node appends from request threads while its checkpoint publisher reads the head on
   * another: appends and the head share the (thread-safe) appender under the read lock; whatever
   * closes the appender to use the connection itself (proofs, verification, rotation, close) holds
   * the write lock, so no thread opens the appender on the connection while another uses it.
   */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private NodeLedger(Connection connection, NoteSigner firstSigner, LedgerKeyFiles keyFiles) {
    this.connection = connection;
    this.firstSigner = firstSigner;
    this.keyFiles = keyFiles;
    this.signer = keyFiles.current().orElse(firstSigner);
  }

  /** Opens the ledger of a node that has not joined a federation (origin from its config). */
  public static NodeLedger open(Node node) {
    return open(node, node.config().nodeId().toString());
  }

  /**
   * Opens the ledger of {@code node} under the origin {@code salus.node/<nodeId>}; a joined node
   * passes its federation node id, the name the trust list and its witnesses know it by.
   */
  public static NodeLedger open(Node node, String nodeId) {
    NodeLedger ledger =
        new NodeLedger(
            node.store().database().connect(),
            signer(node, nodeId),
            new LedgerKeyFiles(node.dir(), origin(nodeId)));
    try {
      ledger.finishRotation();
      ledger.checkKeyFiles();
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
    return ledger;
  }

  /** The checkpoint origin of a node's log. */
  public static String origin(NodeConfig config) {
    return origin(config.nodeId().toString());
  }

  /** The checkpoint origin of the log of node {@code nodeId}. */
  public static String origin(String nodeId) {
    return "salus.node/" + nodeId;
  }

  /**
   * The log's first signer: the node's Ed25519 signing key under {@code salus.node/<nodeId>}, the
   * key the trust list names; after a rotation the log is signed with {@link #signer()}.
   */
  public static NoteSigner signer(Node node, String nodeId) {
    return fromNodeKey(node, origin(nodeId), KeyType.ED25519);
  }

  /**
   * The node's cosigner as a witness of other logs (c2sp.org/tlog-cosignature): the same Ed25519
   * key under the same name, with the cosignature/v1 key type, so its signatures cannot be taken
   * for the log's own.
   */
  public static NoteSigner witnessSigner(Node node, String nodeId) {
    return fromNodeKey(node, origin(nodeId), KeyType.COSIGNATURE_V1);
  }

  private static NoteSigner fromNodeKey(Node node, String name, KeyType type) {
    PrivateKey key = node.keys().signingPrivateKey();
    if (!(key instanceof EdECPrivateKey ed)) {
      throw new IllegalStateException("the node's signing key is not an Ed25519 key");
    }
    byte[] seed =
        ed.getBytes()
            .orElseThrow(() -> new IllegalStateException("the node's signing key has no seed"));
    try {
      return NoteSigner.fromSeed(name, type, SecretBytes.copyOf(seed));
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The key that signs this log's new checkpoints (the latest key of its history). */
  public VerifierKey logKey() {
    return signer.verifierKey();
  }

  /** The log's first key, the node's own (what trust lists name); verification starts from it. */
  public VerifierKey firstKey() {
    return firstSigner.verifierKey();
  }

  /** The signer of this log's new checkpoints. */
  public NoteSigner signer() {
    return signer;
  }

  /** One key rotation of the log: its entry's index and the key signing after the handover. */
  public record Rotation(long index, VerifierKey newKey) {

    /** The size of the handover checkpoint, the last one the replaced key signs. */
    public long handoverSize() {
      return index + 1;
    }
  }

  /** Every rotation so far, oldest first, from the key history file. */
  public List<Rotation> rotations() {
    return keyFiles.history().stream().map(r -> new Rotation(r.index(), r.key())).toList();
  }

  /**
   * Rotates the log's checkpoint key: a fresh Ed25519 key from {@code random}, a {@code
   * KeyRotation} entry naming it, the handover checkpoint signed with the current key; from then on
   * checkpoints are signed with the new key. Resumes a rotation that was interrupted before its
   * entry was written (with the key then drawn).
   */
  public Rotation rotateKey(Instant now, SecureRandom random, String actor) {
    lock.writeLock().lock();
    try {
      NoteSigner next =
          keyFiles
              .next()
              .orElseGet(
                  () -> {
                    NoteSigner k =
                        NoteSigner.generate(signer.verifierKey().name(), KeyType.ED25519, random);
                    keyFiles.writeNext(k);
                    return k;
                  });
      LedgerEvent event =
          new LedgerEvent.KeyRotation(
              new EventContext(
                  now,
                  ActorId.ofCredential(actor),
                  Optional.empty(),
                  "HOPERAT",
                  List.of("ledger-key"),
                  Optional.empty()),
              next.verifierKey().encode());
      long index = append(event);
      return handOver(index, next, now);
    } finally {
      lock.writeLock().unlock();
    }
  }

  // A rotation whose entry is committed but whose handover is not yet stored: finish it now with
  // the old key, which is still current. A next key without an entry is left for rotateKey.
  private void finishRotation() {
    Optional<NoteSigner> next = keyFiles.next();
    if (next.isEmpty()) {
      return;
    }
    OptionalLong index = rotationEntry(next.get().verifierKey());
    if (index.isPresent()) {
      handOver(index.getAsLong(), next.get(), Instant.now());
    }
  }

  // The current key must be the last of the history (the node's own key before any rotation):
  // otherwise the node would sign checkpoints that verification refuses.
  private void checkKeyFiles() {
    List<LedgerKeyFiles.Rotation> history = keyFiles.history();
    VerifierKey expected = history.isEmpty() ? firstKey() : history.get(history.size() - 1).key();
    if (!signer.verifierKey().equals(expected)) {
      throw new LedgerStoreException(
          "ledger.key.mismatch",
          "the ledger signing key "
              + signer.verifierKey().keyIdHex()
              + " is not the last key of the key history ("
              + expected.keyIdHex()
              + ")");
    }
  }

  private Rotation handOver(long index, NoteSigner next, Instant now) {
    closeAppender();
    long size = index + 1;
    CheckpointStore checkpoints = new CheckpointStore(connection);
    if (checkpoints.at(size).isEmpty()) {
      TreeHead head;
      try (LedgerProofs proofs = new LedgerProofs(connection)) {
        head = new TreeHead(size, proofs.root(size));
      }
      checkpoints.publish(head, signer, now);
    }
    keyFiles.addHistory(new LedgerKeyFiles.Rotation(index, next.verifierKey()));
    keyFiles.promoteNext();
    signer = next;
    return new Rotation(index, next.verifierKey());
  }

  // The index of the KeyRotation entry naming {@code key}, if one was committed (a full scan: only
  // after a crash in the middle of a rotation).
  private OptionalLong rotationEntry(VerifierKey key) {
    closeAppender();
    String vkey = key.encode();
    List<Long> found = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement("SELECT idx, entry FROM ledger_entry");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        byte[] entry = r.getBytes(2);
        if (EntryCodec.isKeyRotation(entry)
            && EntryCodec.decode(entry) instanceof LedgerEvent.KeyRotation k
            && k.newKey().equals(vkey)) {
          found.add(r.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new LedgerStoreException(
          "ledger.store.read-failed", "cannot look for the key rotation entry", e);
    }
    return found.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(found.stream().mapToLong(Long::longValue).min().getAsLong());
  }

  /** Appends an event; returns its index once committed. */
  public long append(LedgerEvent event) {
    lock.readLock().lock();
    try {
      return appender().append(event);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The committed tree head: every entry below its size is durable. */
  public TreeHead head() {
    lock.readLock().lock();
    try {
      return appender().head();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Signs and stores a checkpoint of everything committed so far (or returns the one there). */
  public SignedCheckpoint checkpoint(Instant now) {
    lock.writeLock().lock();
    try {
      return new CheckpointStore(connection).publish(appender().head(), signer, now);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Recomputes the tree and checks every checkpoint and cosignature, each checkpoint with the key
   * of its period (starting from {@link #firstKey()}, as the log's rotation entries hand over).
   */
  public VerifyReport verify(List<VerifierKey> witnesses) {
    lock.writeLock().lock();
    try {
      closeAppender();
      return LedgerVerifier.verify(connection, firstKey(), witnesses);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** A C2SP tlog-proof of entry {@code index} against the latest checkpoint. */
  public ProofFile proof(long index) {
    lock.writeLock().lock();
    try {
      closeAppender();
      try (LedgerProofs proofs = new LedgerProofs(connection)) {
        return proofs.proofFile(index);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The proofs of the rotations an offline verifier needs for a checkpoint of size {@code size}:
   * each rotation entry against its handover checkpoint, oldest first ({@code KeyChain.verify}).
   */
  public List<ProofFile> rotationProofs(long size) {
    lock.writeLock().lock();
    try {
      closeAppender();
      List<ProofFile> out = new ArrayList<>();
      try (LedgerProofs proofs = new LedgerProofs(connection)) {
        for (Rotation r : rotations()) {
          if (r.handoverSize() < size) {
            out.add(proofs.proofFile(r.index(), r.handoverSize()));
          }
        }
      }
      return out;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private LedgerAppender appender() {
    LedgerAppender a = appender;
    if (a == null) {
      synchronized (this) {
        a = appender;
        if (a == null) {
          a = LedgerAppender.open(connection);
          appender = a;
        }
      }
    }
    return a;
  }

  private void closeAppender() {
    if (appender != null) {
      appender.close();
      appender = null;
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closeAppender();
      try {
        connection.close();
      } catch (SQLException e) {
        throw new LedgerStoreException("ledger.store.close-failed", "cannot close the ledger", e);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
