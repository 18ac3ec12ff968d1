package org.salus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.salus.core.error.SalusException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The study commands that talk to a running hub (researchers: submit, status, results, list) or to
 * a running node (stewards: proposals, approve, reject), each over mutual TLS with the caller's
 * credential ({@link FederationClient}).
 */
final class StudyHubCommands {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StudyHubCommands() {}

  private static void print(CommandSpec spec, Reporting reporting, JsonNode body, String text) {
    reporting.print(spec.commandLine().getOut(), body, text);
  }

  private static String field(JsonNode o, String name) {
    return o.path(name).asText();
  }

  /** One line per element, or {@code none} when there is none. */
  private static String lines(
      JsonNode array, String none, java.util.function.Function<JsonNode, String> line) {
    StringBuilder b = new StringBuilder();
    array.forEach(e -> b.append(line.apply(e)).append('\n'));
    return b.isEmpty() ? none : b.toString();
  }

  /** The hub's view of a study as lines for people. */
  static String statusText(JsonNode s) {
    StringBuilder b = new StringBuilder();
    b.append("Study ")
        .append(s.path("id").asText())
        .append(" — ")
        .append(s.path("title").asText())
        .append('\n');
    b.append("  state: ").append(s.path("state").asText());
    if (s.hasNonNull("error")) {
      b.append(" (").append(s.path("error").asText()).append(')');
    }
    b.append('\n');
    s.path("nodes")
        .properties()
        .forEach(
            e -> {
              JsonNode n = e.getValue();
              b.append("  ").append(e.getKey()).append(": ").append(n.path("state").asText());
              if (n.hasNonNull("decidedBy")) {
                b.append(" by ").append(n.path("decidedBy").asText());
              }
              if (n.hasNonNull("rule")) {
                b.append(" [").append(n.path("rule").asText()).append(']');
              }
              if (n.hasNonNull("reason")) {
                b.append(" — ").append(n.path("reason").asText());
              }
              if (n.hasNonNull("remedy")) {
                b.append("; ").append(n.path("remedy").asText());
              }
              b.append('\n');
            });
    return b.toString();
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = {
        "Submit a study document to a hub; prints its id and each node's decision so far.",
        "With --wait, follows the study until it finishes and prints the results."
      })
  static final class Submit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;
    @Mixin FederationClient client;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The study document (JSON).")
    Path specFile;

    @Option(names = "--hub", required = true, paramLabel = "URL", description = "The hub's URL.")
    String hub;

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        description = "Wait up to this long (ISO-8601, e.g. PT2M) for the results.")
    Duration wait;

    @Override
    public Integer call() throws IOException, InterruptedException {
      String document;
      try {
        document = Files.readString(specFile);
      } catch (IOException e) {
        throw new SalusException("study.read.failed", "cannot read the study document " + specFile);
      }
      FederationClient.Session s = client.login(hub);
      JsonNode submitted = s.json(s.post("hub/studies", "application/json", document));
      if (wait == null) {
        print(spec, reporting, submitted, statusText(submitted));
        return 0;
      }
      JsonNode status = await(s, submitted.path("id").asText(), wait);
      if (status.path("state").asText().equals(StudyHub.FAILED)) {
        print(spec, reporting, status, statusText(status));
        return 1;
      }
      JsonNode results = s.json(s.get("hub/studies/" + status.path("id").asText() + "/results"));
      print(spec, reporting, results, statusText(status) + results.path("report").asText());
      return 0;
    }
  }

  /**
   * Follows a study at the hub until it completes or fails; its last status.
   *
   * @throws SalusException {@code study.wait.timeout} when it is still running after {@code wait}
   */
  static JsonNode await(FederationClient.Session s, String id, Duration wait)
      throws InterruptedException {
    Instant until = Instant.now().plus(wait);
    JsonNode status = s.json(s.get("hub/studies/" + id));
    while (!finished(status) && Instant.now().isBefore(until)) {
      Thread.sleep(100);
      status = s.json(s.get("hub/studies/" + id));
    }
    if (!finished(status)) {
      throw new SalusException(
          "study.wait.timeout",
          "study " + id + " is still " + status.path("state").asText() + " after " + wait);
    }
    return status;
  }

  private static boolean finished(JsonNode status) {
    String state = status.path("state").asText();
    return state.equals(StudyHub.COMPLETED) || state.equals(StudyHub.FAILED);
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "A submitted study's state at the hub, node by node.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;
    @Mixin FederationClient client;

    @Parameters(index = "0", paramLabel = "ID", description = "The study id.")
    String id;

    @Option(names = "--hub", required = true, paramLabel = "URL", description = "The hub's URL.")
    String hub;

    @Override
    public Integer call() {
      FederationClient.Session s = client.login(hub);
      JsonNode status = s.json(s.get("hub/studies/" + id));
      print(spec, reporting, status, statusText(status));
      return 0;
    }
  }

  @Command(
      name = "results",
      mixinStandardHelpOptions = true,
      description =
          "The results of a finished study (with its privacy receipt, if it asked for ρ).")
  static final class Results implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;
    @Mixin FederationClient client;

    @Parameters(index = "0", paramLabel = "ID", description = "The study id.")
    String id;

    @Option(names = "--hub", required = true, paramLabel = "URL", description = "The hub's URL.")
    String hub;

    @Option(
        names = "--receipt",
        paramLabel = "FILE",
        description = "Write the privacy receipt of a study with ρ to FILE.")
    Path receiptFile;

    @Override
    public Integer call() throws IOException {
      FederationClient.Session s = client.login(hub);
      JsonNode results = s.json(s.get("hub/studies/" + id + "/results"));
      if (receiptFile != null) {
        if (!results.hasNonNull("receipt")) {
          throw new SalusException(
              "study.receipt.none", "the study asks for no ρ; there is no receipt");
        }
        JSON.writerWithDefaultPrettyPrinter()
            .writeValue(receiptFile.toFile(), results.get("receipt"));
      }
      print(spec, reporting, results, results.path("report").asText());
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Your studies at a hub with their states.")
  static final class ListStudies implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;
    @Mixin FederationClient client;

    @Option(names = "--hub", required = true, paramLabel = "URL", description = "The hub's URL.")
    String hub;

    @Override
    public Integer call() {
      FederationClient.Session s = client.login(hub);
      JsonNode list = s.json(s.get("hub/studies"));
      String text =
          lines(
              list.path("studies"),
              "No studies.\n",
              st -> String.join("  ", field(st, "id"), field(st, "state"), field(st, "title")));
      print(spec, reporting, list, text);
      return 0;
    }
  }

  @Command(
      name = "proposals",
      mixinStandardHelpOptions = true,
      description = "Stewards: every study proposed to a node, with its decision.")
  static final class Proposals implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;
    @Mixin FederationClient client;

    @Option(names = "--node", required = true, paramLabel = "URL", description = "The node's URL.")
    String node;

    @Override
    public Integer call() {
      FederationClient.Session s = client.login(node);
      JsonNode list = s.json(s.get("steward/studies"));
      String text =
          lines(
              list.path("studies"),
              "No studies proposed.\n",
              p ->
                  String.join(
                          "  ",
                          field(p, "study"),
                          field(p, "state"),
                          field(p, "purpose"),
                          field(p, "title"))
                      + "  (researcher "
                      + field(p, "researcher")
                      + ", hub "
                      + field(p, "hub")
                      + ")");
      print(spec, reporting, list, text);
      return 0;
    }
  }

  /** Approve or reject: the steward's decision on a pending study. */
  abstract static class Decide implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Reporting reporting;
    @Mixin FederationClient client;

    @Parameters(index = "0", paramLabel = "ID", description = "The study id.")
    String id;

    @Option(names = "--node", required = true, paramLabel = "URL", description = "The node's URL.")
    String node;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required to reject).")
    String reason;

    abstract String action();

    @Override
    public Integer call() {
      FederationClient.Session s = client.login(node);
      String body =
          reason == null ? "{}" : JSON.createObjectNode().put("reason", reason).toString();
      JsonNode d =
          s.json(s.post("steward/studies/" + id + "/" + action(), "application/json", body));
      print(
          spec,
          reporting,
          d,
          "Study "
              + d.path("study").asText()
              + " is "
              + d.path("state").asText()
              + " at node "
              + d.path("node").asText()
              + "\n");
      return 0;
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Stewards: approve a pending study at a node (recorded in its ledger).")
  static final class Approve extends Decide {
    @Override
    String action() {
      return "approve";
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Stewards: reject a pending study at a node with --reason (recorded).")
  static final class Reject extends Decide {
    @Override
    String action() {
      return "reject";
    }
  }
}
