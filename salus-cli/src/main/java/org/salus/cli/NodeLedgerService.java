package org.salus.cli;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.SubjectId;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.witness.AddCheckpointRequest;
import org.salus.core.ledger.witness.CheckpointWitness;
import org.salus.core.ledger.witness.ForkEvidence;
import org.salus.core.ledger.witness.KeyRotationRequest;
import org.salus.core.ledger.witness.WitnessOutcome;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.http.ProblemException;
import org.salus.server.ledger.LedgerPort;
import org.salus.store.ledger.CheckpointStore;
import org.salus.store.ledger.LedgerProofs;
import org.salus.store.ledger.LedgerStoreException;
import org.salus.store.ledger.SubjectSaltStore;
import org.salus.store.ledger.TreeHead;
import org.salus.store.ledger.WitnessStore;
import org.salus.store.node.Node;
import org.salus.store.node.NodeLedger;

/**
 * A running node's ledger behind the server's {@link LedgerPort}: its own log (appends through
 * {@link NodeLedger}, reads on a connection of their own so readers never wait for the appender),
 * and its witness state for every other node's log, restored from and saved to {@link
 * WitnessStore}. Reads and witness decisions are serialised on this object.
 */
final class NodeLedgerService implements LedgerPort, AutoCloseable {

  private record Watched(VerifierKey logKey, CheckpointWitness witness) {}

  private static final int MAX_EVENTS = 1000;

  private final Node node;
  private final String nodeId;
  private final NodeLedger ledger;
  private final NoteSigner logSigner;
  private final NoteSigner witnessSigner;
  private final Connection read;
  private final Clock clock;
  private final Consumer<String> log;
  private final Map<String, Watched> watched = new HashMap<>();
  private final Supplier<List<TrustedNodeEntry>> trustedNodes;
  private final Optional<NodeRunLock> running;

  NodeLedgerService(Node node, String nodeId, Clock clock, Consumer<String> log) {
    this(node, nodeId, List::of, clock, log);
  }

  /**
   * @param trustedNodes the current trust list's nodes: a rotation may not name another's key
   */
  NodeLedgerService(
      Node node,
      String nodeId,
      Supplier<List<TrustedNodeEntry>> trustedNodes,
      Clock clock,
      Consumer<String> log) {
    this.node = node;
    this.trustedNodes = trustedNodes;
    this.nodeId = nodeId;
    // Held while the node runs: rotate-key refuses to hand over the key under a running signer.
    this.running = NodeRunLock.take(node.dir());
    this.ledger = NodeLedger.open(node, nodeId);
    this.logSigner = ledger.signer();
    this.witnessSigner = NodeLedger.witnessSigner(node, nodeId);
    this.read = node.store().database().connect();
    this.clock = clock;
    this.log = log;
  }

  /** The node's own log, for appends. */
  NodeLedger ledger() {
    return ledger;
  }

  /** The committed head of the node's own log. */
  TreeHead head() {
    return ledger.head();
  }

  /** Signs and stores a checkpoint of {@code head} (or returns the one stored at its size). */
  synchronized SignedCheckpoint publish(TreeHead head) {
    return new CheckpointStore(read).publish(head, logSigner, clock.instant());
  }

  /** Stores a witness's cosignature of this node's checkpoint at {@code size}. */
  synchronized void addCosignature(long size, NoteSignature cosignature) {
    new CheckpointStore(read).addCosignature(size, cosignature, clock.instant());
  }

  /**
   * Whether {@code witness} (its key name) already cosigned this node's checkpoint at {@code size}.
   */
  synchronized boolean cosignedBy(long size, String witness) {
    try (PreparedStatement s =
        read.prepareStatement(
            "SELECT 1 FROM ledger_cosignature WHERE tree_size = ? AND witness = ?")) {
      s.setLong(1, size);
      s.setString(2, witness);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read cosignatures", e);
    }
  }

  /** The proofs of this node's own key rotations, oldest first (for its witnesses). */
  synchronized List<ProofFile> rotationProofs() {
    List<ProofFile> out = new ArrayList<>();
    try (LedgerProofs proofs = new LedgerProofs(read)) {
      for (NodeLedger.Rotation r : ledger.rotations()) {
        out.add(proofs.proofFile(r.index(), r.handoverSize()));
      }
    }
    return out;
  }

  @Override
  public synchronized WitnessOutcome addCheckpoint(
      TrustedNodeEntry peer, AddCheckpointRequest request) {
    String origin = peerLog(peer, request.checkpoint().checkpoint().origin(), "checkpoints");
    Optional<Watched> w = watch(peer, origin);
    if (w.isEmpty()) {
      return new WitnessOutcome.Fork(new WitnessStore(read).forks(origin).get(0));
    }
    WitnessOutcome outcome =
        w.get()
            .witness()
            .addCheckpoint(request.oldSize(), request.consistencyProof(), request.checkpoint());
    if (outcome instanceof WitnessOutcome.Cosigned c) {
      new WitnessStore(read).saveLatest(c.checkpoint());
    }
    return outcome;
  }

  @Override
  public synchronized WitnessOutcome addKeyRotation(
      TrustedNodeEntry peer, KeyRotationRequest request) {
    String origin =
        peerLog(peer, request.rotation().checkpoint().checkpoint().origin(), "key rotations");
    Optional<Watched> w = watch(peer, origin);
    if (w.isEmpty()) {
      return new WitnessOutcome.Fork(new WitnessStore(read).forks(origin).get(0));
    }
    CheckpointWitness witness = w.get().witness();
    int known = witness.rotations().size();
    // The new key may be no other node's: neither its listed key nor one it rotated to here.
    List<VerifierKey> others = new ArrayList<>();
    for (TrustedNodeEntry n : trustedNodes.get()) {
      if (!n.id().equals(peer.id())) {
        others.add(LedgerKeys.logKey(n));
      }
    }
    watched.forEach(
        (o, other) -> {
          if (!o.equals(origin)) {
            other.witness().chain().periods().forEach(p -> others.add(p.key()));
          }
        });
    WitnessOutcome outcome = witness.acceptRotation(request, others);
    if (outcome instanceof WitnessOutcome.Cosigned c && witness.rotations().size() > known) {
      new WitnessStore(read).saveRotation(origin, request.rotation(), c.checkpoint());
      log.accept(
          "witness: "
              + origin
              + " rotated its log key at entry "
              + request.rotation().index()
              + " to "
              + witness.chain().keyFor(Long.MAX_VALUE).keyIdHex());
    }
    return outcome;
  }

  private String peerLog(TrustedNodeEntry peer, String offeredOrigin, String what) {
    String origin = LedgerKeys.origin(peer.id());
    if (peer.id().equals(nodeId)) {
      throw new ProblemException(403, "witness.own-log", "a node does not witness its own log");
    }
    if (!offeredOrigin.equals(origin)) {
      throw new ProblemException(
          403,
          "witness.unknown-log",
          "node " + peer.id() + " may only submit " + what + " of " + origin);
    }
    return origin;
  }

  // The witness of the peer's log, restored from the store (latest cosigned checkpoint and the
  // rotations accepted, from the key the trust list names); empty when it was caught forking.
  private Optional<Watched> watch(TrustedNodeEntry peer, String origin) {
    VerifierKey key = LedgerKeys.logKey(peer);
    Watched w = watched.get(origin);
    if (w == null) {
      List<ForkEvidence> kept = new WitnessStore(read).forks(origin);
      if (!kept.isEmpty()) {
        // Caught forking before a restart: refused for good, as CheckpointWitness does in memory.
        return Optional.empty();
      }
    }
    if (w == null || !w.logKey().equals(key)) {
      WitnessStore store = new WitnessStore(read);
      w =
          new Watched(
              key,
              new CheckpointWitness(
                  key,
                  store.rotations(origin),
                  witnessSigner,
                  store.latest(origin),
                  clock,
                  this::alarm));
      watched.put(origin, w);
    }
    return Optional.of(w);
  }

  private void alarm(ForkEvidence evidence) {
    new WitnessStore(read).recordFork(evidence, clock.instant());
    log.accept("ALARM ledger fork: " + evidence.describe() + " (evidence kept)");
  }

  @Override
  public synchronized List<SignedCheckpoint> checkpoints() {
    return new CheckpointStore(read).all();
  }

  @Override
  public synchronized ConsistencyProof consistency(long from, long to) {
    try (LedgerProofs proofs = new LedgerProofs(read)) {
      return proofs.consistency(from, to);
    }
  }

  @Override
  public long size() {
    return ledger.head().size();
  }

  @Override
  public synchronized List<byte[]> entries(long start, long end) {
    List<byte[]> out = new ArrayList<>();
    try (PreparedStatement s =
        read.prepareStatement(
            "SELECT entry FROM ledger_entry WHERE idx >= ? AND idx < ? ORDER BY idx")) {
      s.setLong(1, start);
      s.setLong(2, end);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getBytes(1));
        }
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.read-failed", "cannot read entries", e);
    }
    return out;
  }

  @Override
  public synchronized List<ProvenEvent> eventsOf(String recordRef) {
    String personKey =
        node.store()
            .knownRecords()
            .personKeyOf(node.pseudonymizer().recordKey(recordRef))
            .orElseThrow(
                () ->
                    new ProblemException(
                        404, "ledger.patient-unknown", "this node holds no record for the caller"));
    Optional<SubjectId> subject =
        new SubjectSaltStore(read, new SecureRandom())
            .find(personKey)
            .map(s -> s.subjectOf(personKey));
    if (subject.isEmpty()) {
      return List.of();
    }
    long covered = new CheckpointStore(read).latest().map(c -> c.checkpoint().size()).orElse(0L);
    List<Long> mine = new ArrayList<>();
    // A full scan: entries carry only the salted subject hash, so there is no index to look up.
    for (long start = 0; start < covered; start += MAX_EVENTS) {
      long i = start;
      for (byte[] entry : entries(start, Math.min(covered, start + MAX_EVENTS))) {
        if (EntryCodec.decode(entry).context().subject().equals(subject)) {
          mine.add(i);
        }
        i++;
      }
    }
    List<Long> page = mine.subList(Math.max(0, mine.size() - MAX_EVENTS), mine.size());
    List<ProvenEvent> out = new ArrayList<>();
    try (LedgerProofs proofs = new LedgerProofs(read)) {
      for (long index : page) {
        out.add(new ProvenEvent(index, proofs.proofFile(index).encode()));
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    running.ifPresent(NodeRunLock::close);
    ledger.close();
    try {
      read.close();
    } catch (SQLException e) {
      throw new LedgerStoreException("ledger.store.close-failed", "cannot close the ledger", e);
    }
  }
}
