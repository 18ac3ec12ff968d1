package org.salus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.salus.core.error.SalusException;
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
class NodeStartCommand implements Callable<Integer> {

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

  @Option(
      names = "--hub",
      description = "Also run the federation's study hub in this node (as salus hub start does).")
  boolean hub;

  @Option(
      names = "--decision-timeout",
      defaultValue = "PT24H",
      paramLabel = "DURATION",
      description =
          "Hub: how long a study waits for every node's decision before it runs on the nodes"
              + " that approved it (ISO-8601, default: ${DEFAULT-VALUE}).")
  Duration decisionTimeout;

  @Option(
      names = "--hub-poll-ms",
      defaultValue = "500",
      description = "Hub: how often to follow the nodes' decisions (default: ${DEFAULT-VALUE} ms).")
  long hubPollMillis;

  /** Whether this start serves a hub. */
  boolean servesHub() {
    return hub;
  }

  /** The JSON line printed once the node listens. */
  record Started(String nodeId, int port) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServerSettings settings = parseListen(listen);
    if (refreshSeconds < 1) {
      throw new SalusException("option.invalid", "--refresh-seconds must be at least 1");
    }
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> say =
        line -> {
          err.println("salus: " + line);
          err.flush();
        };
    RunningNode running =
        RunningNode.start(
            dir,
            settings,
            servesHub()
                ? Optional.of(
                    new RunningNode.HubSettings(decisionTimeout, Duration.ofMillis(hubPollMillis)))
                : Optional.empty(),
            Duration.ofSeconds(refreshSeconds),
            say);
    TrustedNode node = running.node();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "salus-stop"));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(new Started(node.nodeId(), node.port())));
    } else {
      out.println(
          (servesHub() ? "Node and hub " : "Node ")
              + node.nodeId()
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
