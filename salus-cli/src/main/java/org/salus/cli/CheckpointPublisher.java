package org.salus.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.salus.core.ledger.witness.AddCheckpointRequest;
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

  private final String nodeId;
  private final NodeLedgerService ledger;
  private final TrustListHolder trust;
  private final PeerClient client;
  private final Consumer<String> log;
  private final Map<String, Long> cosignedSize = new HashMap<>();
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

  /** Offers {@code cp} to one peer; on 409 retries once from the size the peer names. */
  private boolean offer(TrustedNodeEntry peer, SignedCheckpoint cp) throws InterruptedException {
    long size = cp.checkpoint().size();
    long old = Math.min(cosignedSize.getOrDefault(peer.id(), 0L), size);
    for (int attempt = 0; attempt < 2; attempt++) {
      Optional<Long> conflict;
      try {
        conflict = send(peer, cp, old);
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
      default ->
          throw new IOException(
              "witness "
                  + peer.id()
                  + " refused checkpoint "
                  + size
                  + ": "
                  + r.statusCode()
                  + " "
                  + r.body());
    }
  }

  /** Stores the cosignatures that verify with the peer's listed key; whether one did. */
  private boolean storeCosignatures(TrustedNodeEntry peer, SignedCheckpoint cp, String lines) {
    List<NoteSignature> sigs = Note.parse(cp.checkpoint().body() + "\n" + lines).signatures();
    VerifierKey key = LedgerKeys.witnessKey(peer);
    boolean stored = false;
    for (NoteSignature s : sigs) {
      if (Cosignatures.verify(cp.checkpoint(), s, key).isPresent()) {
        ledger.addCosignature(cp.checkpoint().size(), s);
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
