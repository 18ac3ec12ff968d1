package org.salus.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.note.Cosignatures;
import org.salus.core.ledger.note.Note;
import org.salus.core.ledger.note.NoteSignature;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.witness.AddCheckpointRequest;
import org.salus.core.ledger.witness.KeyRotationRequest;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.http.PeerClient;
import org.salus.server.trust.TrustListHolder;
import org.salus.store.ledger.TreeHead;

/**
 * Publishes the node's log to its witnesses: each round (at most one a second) it signs a
 * checkpoint when entries arrived since the last one, sends it by the c2sp.org/tlog-witness
 * add-checkpoint exchange to every other node of the trust list that has not cosigned it yet, and
 * stores the cosignatures that verify with that node's listed key. A failing peer is logged and
 * tried again next round; appends never wait for a round.
 */
final class CheckpointPublisher implements AutoCloseable {

  static final String PATH = "/witness/add-checkpoint";

  static final String ROTATION_PATH = "/witness/key-rotation";

  /** A witness's refusal: its HTTP status and body. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final String nodeId;
  private final NodeLedgerService ledger;
  private final TrustListHolder trust;
  private final PeerClient client;
  private final Consumer<String> log;
  private final Map<String, Long> cosignedSize = new HashMap<>();
  // Peers this process has shown every rotation proof (each answered 200).
  private final Set<String> rotationsShown = new HashSet<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("ledger-publisher").daemon().unstarted(r));

  CheckpointPublisher(
      String nodeId,
      NodeLedgerService ledger,
      TrustListHolder trust,
      PeerClient client,
      Consumer<String> log) {
    this.nodeId = nodeId;
    this.ledger = ledger;
    this.trust = trust;
    this.client = client;
    this.log = log;
  }

  /** Runs {@link #round()} every {@code every} (at least a second apart). */
  void start(Duration every) {
    long ms = Math.max(1000, every.toMillis());
    Future<?> unused = timer.scheduleWithFixedDelay(this::safeRound, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void safeRound() {
    try {
      round();
    } catch (RuntimeException e) {
      log.accept("ledger publish round failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One round: nothing when the log is empty or every peer has cosigned its head; otherwise sign
   * (or reuse) the checkpoint of the head and offer it to each peer that lacks it.
   *
   * @return the number of new cosignatures stored
   */
  synchronized int round() throws InterruptedException {
    TreeHead head = ledger.head();
    if (head.size() == 0) {
      return 0;
    }
    List<TrustedNodeEntry> peers =
        trust.current().nodes().stream().filter(n -> !n.id().equals(nodeId)).toList();
    if (peers.stream().allMatch(p -> cosignedSize.getOrDefault(p.id(), -1L) == head.size())) {
      return 0;
    }
    SignedCheckpoint cp = ledger.publish(head);
    int stored = 0;
    for (TrustedNodeEntry peer : peers) {
      if (cosignedSize.getOrDefault(peer.id(), -1L) != head.size()) {
        stored += offer(peer, cp) ? 1 : 0;
      }
    }
    return stored;
  }

  /**
   * Offers {@code cp} to one peer; on 409 retries once from the size the peer names. When the log
   * rotated its key below {@code cp}, the rotation proofs go first (once per peer and process, each
   * with its handover checkpoint), and again when the peer answers 403: a witness that was down
   * during a rotation, or lost its state, learns the key chain and the checkpoint is offered again.
   */
  private boolean offer(TrustedNodeEntry peer, SignedCheckpoint cp) throws InterruptedException {
    long size = cp.checkpoint().size();
    List<ProofFile> rotations =
        ledger.rotationProofs().stream()
            .filter(r -> r.checkpoint().checkpoint().size() < size)
            .toList();
    if (!rotations.isEmpty() && !rotationsShown.contains(peer.id())) {
      if (!showRotations(peer, rotations)) {
        return false;
      }
    }
    boolean reshown = false;
    long old = Math.min(cosignedSize.getOrDefault(peer.id(), 0L), size);
    for (int attempt = 0; attempt < 2; attempt++) {
      Optional<Long> conflict;
      try {
        conflict = send(peer, cp, old);
      } catch (Refused e) {
        if (e.status == 403 && !rotations.isEmpty() && !reshown) {
          reshown = true;
          rotationsShown.remove(peer.id());
          log.accept(
              "witness "
                  + peer.id()
                  + " does not know the key of checkpoint "
                  + size
                  + "; sending its key rotations");
          if (showRotations(peer, rotations)) {
            old = Math.min(cosignedSize.getOrDefault(peer.id(), 0L), size);
            attempt--;
            continue;
          }
          return false;
        }
        log.accept("witness " + peer.id() + " refused checkpoint " + size + ": " + e.getMessage());
        return false;
      } catch (IOException | SalusException e) {
        log.accept("witness " + peer.id() + " unreachable for checkpoint " + size + ": " + e);
        return false;
      }
      if (conflict.isEmpty()) {
        return true;
      }
      if (conflict.get() > size) {
        log.accept(
            "witness " + peer.id() + " has cosigned size " + conflict.get() + " > our " + size);
        return false;
      }
      old = conflict.get();
      cosignedSize.put(peer.id(), old);
      if (old == size) {
        return false;
      }
    }
    return false;
  }

  /** One request; empty when cosigned (and stored), the witness's size on 409. */
  private Optional<Long> send(TrustedNodeEntry peer, SignedCheckpoint cp, long old)
      throws IOException, InterruptedException {
    long size = cp.checkpoint().size();
    List<Hash> proof = old == 0 ? List.of() : ledger.consistency(old, size).hashes();
    String body = new AddCheckpointRequest(old, proof, cp).encode();
    HttpResponse<String> r =
        client.post(
            URI.create(stripSlash(peer.baseUrl()) + PATH),
            AddCheckpointRequest.CONTENT_TYPE,
            body,
            Optional.empty());
    switch (r.statusCode()) {
      case 200 -> {
        if (storeCosignatures(peer, cp, r.body())) {
          cosignedSize.put(peer.id(), size);
        }
        return Optional.empty();
      }
      case 409 -> {
        try {
          return Optional.of(Long.parseLong(r.body().strip()));
        } catch (NumberFormatException e) {
          throw new IOException("witness " + peer.id() + " sent a 409 without a size", e);
        }
      }
      default -> throw new Refused(r.statusCode(), r.statusCode() + " " + r.body());
    }
  }

  /**
   * Shows one peer the log's rotation proofs, oldest first, each with a consistency proof from the
   * size the peer last cosigned to its handover (retried once from the size a 409 names); stores
   * the handover cosignature each acceptance returns. Whether every rotation was accepted.
   */
  private boolean showRotations(TrustedNodeEntry peer, List<ProofFile> rotations)
      throws InterruptedException {
    for (ProofFile rotation : rotations) {
      SignedCheckpoint handover = rotation.checkpoint();
      long hsize = handover.checkpoint().size();
      long old = Math.min(cosignedSize.getOrDefault(peer.id(), 0L), hsize);
      boolean accepted = false;
      for (int attempt = 0; attempt < 2 && !accepted; attempt++) {
        List<Hash> proof =
            old == 0 || old == hsize ? List.of() : ledger.consistency(old, hsize).hashes();
        HttpResponse<String> r;
        try {
          r =
              client.post(
                  URI.create(stripSlash(peer.baseUrl()) + ROTATION_PATH),
                  AddCheckpointRequest.CONTENT_TYPE,
                  new KeyRotationRequest(old, proof, rotation).encode(),
                  Optional.empty());
        } catch (IOException | SalusException e) {
          log.accept(
              "witness "
                  + peer.id()
                  + " unreachable for key rotation "
                  + rotation.index()
                  + ": "
                  + e);
          return false;
        }
        if (r.statusCode() == 200) {
          accepted = true;
          if (storeCosignatures(peer, handover, r.body())) {
            cosignedSize.put(peer.id(), hsize);
          }
        } else if (r.statusCode() == 409) {
          try {
            old = Math.min(Long.parseLong(r.body().strip()), hsize);
          } catch (NumberFormatException e) {
            log.accept("witness " + peer.id() + " sent a 409 without a size");
            return false;
          }
        } else {
          log.accept(
              "witness "
                  + peer.id()
                  + " refused key rotation at entry "
                  + rotation.index()
                  + ": "
                  + r.statusCode()
                  + " "
                  + r.body());
          return false;
        }
      }
      if (!accepted) {
        return false;
      }
    }
    rotationsShown.add(peer.id());
    return true;
  }

  /** Stores the cosignatures that verify with the peer's listed key; whether one did. */
  private boolean storeCosignatures(TrustedNodeEntry peer, SignedCheckpoint cp, String lines) {
    List<NoteSignature> sigs = Note.parse(cp.checkpoint().body() + "\n" + lines).signatures();
    VerifierKey key = LedgerKeys.witnessKey(peer);
    boolean stored = false;
    for (NoteSignature s : sigs) {
      if (Cosignatures.verify(cp.checkpoint(), s, key).isPresent()) {
        if (!ledger.cosignedBy(cp.checkpoint().size(), s.keyName())) {
          ledger.addCosignature(cp.checkpoint().size(), s);
        }
        stored = true;
      } else {
        log.accept("witness " + peer.id() + " sent a cosignature that does not verify; dropped");
      }
    }
    return stored;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
