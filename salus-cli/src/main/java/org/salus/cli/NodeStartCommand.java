package org.salus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.salus.core.error.SalusException;
import org.salus.server.credential.StatusListFetcher;
import org.salus.server.http.PeerClient;
import org.salus.server.http.ServerSettings;
import org.salus.server.http.TrustedNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salus node start}: runs the node's HTTPS server (mutual TLS, login, guarded routes) from
 * its directory until interrupted, with its ledger: the witness and auditor routes, and a {@link
 * CheckpointPublisher} that sends checkpoints to the other nodes every second while entries arrive.
 * The mapping from directory to server is {@link NodeFederation}.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = "Start the node's server with mutual TLS; runs until interrupted (Ctrl-C).")
final class NodeStartCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, description = "The node's folder (joined).")
  Path dir;

  @Option(
      names = "--listen",
      defaultValue = "0.0.0.0:8443",
      description = "HOST:PORT to listen on; port 0 picks a free one (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--refresh-seconds",
      defaultValue = "60",
      description =
          "Re-read federation/trust-list.jws and fetch status lists this often"
              + " (default: ${DEFAULT-VALUE}).")
  long refreshSeconds;

  @Option(names = "--json", description = "Print one JSON line {nodeId, port} once listening.")
  boolean json;

  /** The JSON line printed once the node listens. */
  record Started(String nodeId, int port) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServerSettings settings = parseListen(listen);
    if (refreshSeconds < 1) {
      throw new SalusException("option.invalid", "--refresh-seconds must be at least 1");
    }
    NodeFederation.Start s = NodeFederation.load(dir);
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> say =
        line -> {
          err.println("salus: " + line);
          err.flush();
        };
    // One node store for the whole server: the consent routes and the ledger share it, and every
    // ledger append goes through the one appender that holds the tree.
    NodeConsents consents = NodeConsents.open(dir);
    NodeLedgerService ledger;
    NodeRecords records;
    TrustedNode node;
    try {
      ledger = new NodeLedgerService(consents.node(), s.nodeId(), Clock.systemUTC(), say);
      records = NodeRecords.open(consents, s.nodeId(), Clock.systemUTC(), ledger.ledger());
      node = NodeFederation.start(s, settings, Clock.systemUTC(), records, ledger);
    } catch (RuntimeException e) {
      consents.close();
      throw e;
    }
    CheckpointPublisher publisher =
        new CheckpointPublisher(
            s.nodeId(), ledger, node.trustList(), new PeerClient(node.tls()), say);
    NodeRefresher refresher =
        new NodeRefresher(
            node,
            s.trustListFile(),
            Optional.of(
                new StatusListFetcher(
                    HttpClient.newHttpClient(), node.trustList(), node.statusLists())),
            say);
    // Emergency accesses end at their time limit even when nobody asks (docs/consent.md).
    ScheduledExecutorService breakGlassExpiry =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("break-glass-expiry").daemon().unstarted(r));
    Future<?> unused =
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
            TimeUnit.MINUTES);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  breakGlassExpiry.shutdownNow();
                  refresher.close();
                  publisher.close();
                  node.close();
                  ledger.close();
                  records.close();
                  stopped.countDown();
                },
                "salus-stop"));
    refresher.start(Duration.ofSeconds(refreshSeconds));
    publisher.start(Duration.ofSeconds(1));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(new Started(s.nodeId(), node.port())));
    } else {
      out.println(
          "Node "
              + s.nodeId()
              + " listening on https://"
              + settings.host()
              + ":"
              + node.port()
              + " (mutual TLS; Ctrl-C stops it)");
    }
    out.flush();
    stopped.await();
    return 0;
  }

  static ServerSettings parseListen(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new SalusException("option.invalid", "--listen must be HOST:PORT, not " + hostPort);
    }
    try {
      return new ServerSettings(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new SalusException("option.invalid", "--listen must be HOST:PORT, not " + hostPort);
    }
  }
}
