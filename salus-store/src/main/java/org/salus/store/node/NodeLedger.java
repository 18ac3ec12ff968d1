package org.salus.store.node;

import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.salus.core.keys.SecretBytes;
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
 * A node's ledger: its log in the node's database, signed with the node's Ed25519 key under the
 * origin {@code salus.node/<node id>}. Opens its own connection; close it when done.
 */
public final class NodeLedger implements AutoCloseable {

  private final Connection connection;
  private final NoteSigner signer;
  private LedgerAppender appender;

  private NodeLedger(Connection connection, NoteSigner signer) {
    this.connection = connection;
    this.signer = signer;
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
    return new NodeLedger(node.store().database().connect(), signer(node, nodeId));
  }

  /** The checkpoint origin of a node's log. */
  public static String origin(NodeConfig config) {
    return origin(config.nodeId().toString());
  }

  /** The checkpoint origin of the log of node {@code nodeId}. */
  public static String origin(String nodeId) {
    return "salus.node/" + nodeId;
  }

  /** The log's signer: the node's Ed25519 signing key under {@code salus.node/<nodeId>}. */
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

  /** The key auditors and witnesses verify this log's checkpoints with. */
  public VerifierKey logKey() {
    return signer.verifierKey();
  }

  /** Appends an event; returns its index once committed. */
  public long append(LedgerEvent event) {
    return appender().append(event);
  }

  /** The committed tree head: every entry below its size is durable. */
  public TreeHead head() {
    return appender().head();
  }

  /** Signs and stores a checkpoint of everything committed so far (or returns the one there). */
  public SignedCheckpoint checkpoint(Instant now) {
    return new CheckpointStore(connection).publish(appender().head(), signer, now);
  }

  /** Recomputes the tree and checks every checkpoint and cosignature. */
  public VerifyReport verify(List<VerifierKey> witnesses) {
    closeAppender();
    return LedgerVerifier.verify(connection, logKey(), witnesses);
  }

  /** A C2SP tlog-proof of entry {@code index} against the latest checkpoint. */
  public ProofFile proof(long index) {
    closeAppender();
    try (LedgerProofs proofs = new LedgerProofs(connection)) {
      return proofs.proofFile(index);
    }
  }

  private LedgerAppender appender() {
    if (appender == null) {
      appender = LedgerAppender.open(connection);
    }
    return appender;
  }

  private void closeAppender() {
    if (appender != null) {
      appender.close();
      appender = null;
    }
  }

  @Override
  public void close() {
    closeAppender();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.close-failed", "cannot close the ledger", e);
    }
  }
}
