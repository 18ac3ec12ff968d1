package org.salus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.salus.server.credential.StatusListFetcher;
import org.salus.server.http.TrustedNode;
import org.salus.server.trust.TrustListVerdict;

/**
 * Keeps a running node's trust material fresh: re-reads the trust-list file (the operator drops a
 * newer one there) and fetches the issuers' status lists. A newer list replaces the held one; an
 * older, expired or badly signed one is refused by {@code TrustListHolder} and logged by its code
 * and description, which name versions and dates, never keys or tokens.
 */
final class NodeRefresher implements AutoCloseable {

  private final TrustedNode node;
  private final Path trustListFile;
  private final Optional<StatusListFetcher> statusLists;
  private final Consumer<String> log;
  private final Consumer<String> accepted;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "salus-refresh");
            t.setDaemon(true);
            return t;
          });

  NodeRefresher(
      TrustedNode node,
      Path trustListFile,
      Optional<StatusListFetcher> statusLists,
      Consumer<String> log) {
    this(node, trustListFile, statusLists, log, jws -> {});
  }

  /**
   * As above; {@code accepted} hears every trust list the node takes up (its compact JWS), for
   * example to record the change in the node's ledger.
   */
  NodeRefresher(
      TrustedNode node,
      Path trustListFile,
      Optional<StatusListFetcher> statusLists,
      Consumer<String> log,
      Consumer<String> accepted) {
    this.node = node;
    this.trustListFile = trustListFile;
    this.statusLists = statusLists;
    this.log = log;
    this.accepted = accepted;
  }

  /** Refreshes now and then every {@code period}. */
  void start(Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("refresh period must be positive, not " + period);
    }
    timer.scheduleWithFixedDelay(this::tick, 0, period.toSeconds(), TimeUnit.SECONDS);
  }

  private void tick() {
    refreshTrustList();
    try {
      refreshStatusLists();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Offers the file's trust list to the node; empty when the file holds the list already held or
   * cannot be read (logged).
   */
  Optional<TrustListVerdict> refreshTrustList() {
    String jws;
    try {
      jws = Files.readString(trustListFile).strip();
    } catch (IOException e) {
      log.accept(
          "trust list: cannot read " + trustListFile + " (" + e.getClass().getSimpleName() + ")");
      return Optional.empty();
    }
    if (jws.equals(node.trustList().currentJws())) {
      return Optional.empty();
    }
    TrustListVerdict v = node.trustList().refresh(jws);
    switch (v) {
      case TrustListVerdict.Accepted a -> {
        accepted.accept(jws);
        log.accept(
            "trust list: now holding version "
                + a.list().version()
                + " ("
                + a.list().nodes().size()
                + " nodes, expires "
                + a.list().expires()
                + ")");
      }
      case TrustListVerdict.Refused r ->
          log.accept(
              "trust list: refused "
                  + trustListFile
                  + ": "
                  + r.refusal().code()
                  + ": "
                  + r.refusal().describe());
    }
    return Optional.of(v);
  }

  /** Fetches every listed issuer's status list; failures keep the previous list and are logged. */
  void refreshStatusLists() throws InterruptedException {
    if (statusLists.isEmpty()) {
      return;
    }
    for (StatusListFetcher.Outcome o : statusLists.get().refreshAll()) {
      o.failure().ifPresent(f -> log.accept("status list " + o.uri() + ": " + f));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
