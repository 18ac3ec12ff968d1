package org.salus.cli;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.salus.server.credential.StatusListFetcher;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import org.salus.server.study.HubPort;
import org.salus.server.trust.TrustListHolder;

/**
 * A node started from its directory, as {@code salus node start} runs it: one store shared by the
 * record routes, the ledger (every append through the one appender that holds the tree), the node's
 * side of studies and the login nonces (single-use across restarts); optionally a hub; the
 * trust-list and status-list refresher; and the checkpoint publisher. Closing stops everything in
 * reverse order.
 */
final class RunningNode implements AutoCloseable {

  /** How the hub inside this node follows studies. */
  record HubSettings(Duration decisionTimeout, Duration poll) {}

  private final TrustedNode node;
  private final NodeConsents consents;
  private final NodeLedgerService ledger;
  private final NodeRecords records;
  private final NodeNonces nonces;
  private final NodeStudies studies;
  private final Optional<StudyHub> hub;
  private final CheckpointPublisher publisher;
  private final NodeRefresher refresher;
  private final java.util.concurrent.ScheduledExecutorService breakGlassExpiry;

  private RunningNode(
      TrustedNode node,
      NodeConsents consents,
      NodeLedgerService ledger,
      NodeRecords records,
      NodeNonces nonces,
      NodeStudies studies,
      Optional<StudyHub> hub,
      CheckpointPublisher publisher,
      NodeRefresher refresher) {
    this.node = node;
    this.consents = consents;
    this.ledger = ledger;
    this.records = records;
    this.nonces = nonces;
    this.studies = studies;
    this.hub = hub;
    this.publisher = publisher;
    this.refresher = refresher;
    // Emergency accesses end at their time limit even when nobody asks (docs/consent.md).
    this.breakGlassExpiry =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("break-glass-expiry").daemon().unstarted(r));
  }

  private void expireBreakGlass(Consumer<String> say) {
    java.util.concurrent.Future<?> unused =
        breakGlassExpiry.scheduleWithFixedDelay(
            () -> {
              try {
                records.expireBreakGlass();
              } catch (RuntimeException e) {
                say.accept("ending expired emergency accesses failed: " + e.getClass().getName());
              }
            },
            1,
            1,
            java.util.concurrent.TimeUnit.MINUTES);
  }

  static RunningNode start(
      Path dir,
      ServerSettings settings,
      Optional<HubSettings> hubSettings,
      Duration refresh,
      Consumer<String> say)
      throws IOException {
    NodeFederation.Start s = NodeFederation.load(dir);
    Clock clock = Clock.systemUTC();
    NodeConsents consents = NodeConsents.open(dir);
    NodeLedgerService ledger = null;
    NodeStudies studies = null;
    NodeNonces nonces = null;
    Optional<StudyHub> hub = Optional.empty();
    TrustedNode node;
    NodeRecords records;
    try {
      // A witness refuses a rotation to another node's listed key: it reads the current list.
      var listed = new java.util.concurrent.atomic.AtomicReference<TrustListHolder>();
      ledger =
          new NodeLedgerService(
              consents.node(),
              s.nodeId(),
              () -> listed.get() == null ? List.of() : listed.get().current().nodes(),
              clock,
              say);
      records = NodeRecords.open(consents, s.nodeId(), clock, ledger.ledger());
      studies = new NodeStudies(s.nodeId(), dir, consents, ledger.ledger(), clock);
      nonces = NodeNonces.open(consents.node().store().database());
      if (hubSettings.isPresent()) {
        hub =
            Optional.of(
                new StudyHub(
                    s.nodeId(),
                    s.keys().signingKey(),
                    dir,
                    clock,
                    hubSettings.get().decisionTimeout(),
                    say));
      }
      node =
          NodeFederation.start(
              s,
              settings,
              clock,
              org.salus.server.http.NodeServices.none()
                  .withRecords(records)
                  .withLedger(ledger)
                  .withStudies(studies)
                  .withHub(hub.<HubPort>map(h -> h).orElse(HubPort.unavailable()))
                  .withNonces(nonces));
      listed.set(node.trustList());
    } catch (RuntimeException e) {
      hub.ifPresent(StudyHub::close);
      if (nonces != null) {
        nonces.close();
      }
      if (studies != null) {
        studies.close();
      }
      if (ledger != null) {
        ledger.close();
      }
      consents.close();
      throw e;
    }
    TrustedNode started = node;
    NodeLedgerService log = ledger;
    studies.trustList(() -> started.trustList().current());
    PeerClient peers = new PeerClient(node.tls());
    hub.ifPresent(h -> h.start(started.trustList(), peers, hubSettings.get().poll()));
    CheckpointPublisher publisher =
        new CheckpointPublisher(s.nodeId(), ledger, node.trustList(), peers, say);
    NodeRefresher refresher =
        new NodeRefresher(
            node,
            s.trustListFile(),
            Optional.of(
                new StatusListFetcher(
                    HttpClient.newHttpClient(), node.trustList(), node.statusLists())),
            say,
            jws -> log.ledger().append(trustListChange(started.trustList().current(), jws)));
    refresher.start(refresh);
    publisher.start(Duration.ofSeconds(1));
    RunningNode running =
        new RunningNode(
            node, consents, ledger, records, nonces, studies, hub, publisher, refresher);
    running.expireBreakGlass(say);
    return running;
  }

  /** The ledger event of a trust list the node took up: the SHA-256 of its JWS, by the operator. */
  static org.salus.core.ledger.event.LedgerEvent trustListChange(
      org.salus.core.trust.TrustList list, String jws) {
    byte[] hash;
    try {
      hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(jws.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    return new org.salus.core.ledger.event.LedgerEvent.TrustListChange(
        new org.salus.core.ledger.event.EventContext(
            java.time.Instant.now(),
            org.salus.core.ledger.event.ActorId.ofCredential("operator:" + list.federationId()),
            Optional.empty(),
            "HOPERAT",
            java.util.List.of("trust-list"),
            Optional.empty()),
        org.salus.core.ledger.merkle.Hash.of(hash));
  }

  TrustedNode node() {
    return node;
  }

  NodeLedgerService ledger() {
    return ledger;
  }

  @Override
  public void close() {
    breakGlassExpiry.shutdownNow();
    refresher.close();
    publisher.close();
    hub.ifPresent(StudyHub::close);
    node.close();
    nonces.close();
    studies.close();
    ledger.close();
    records.close();
  }
}
