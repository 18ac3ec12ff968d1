package org.salus.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.ConsentNarrative;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.NodeDefaults;
import org.salus.core.consent.PolicyDecisionPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code salus consent show}: a patient's consent in plain terms, now or as of an instant. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Show a patient's consent in plain terms, with its version and snapshot hash, now or as of"
            + " an instant.")
final class ConsentShowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--dir", required = true, description = "The node's directory.")
  Path dir;

  @Option(names = "--patient", required = true, description = "The patient: Patient/<id>.")
  String patient;

  @Option(
      names = "--as-of",
      description = "Show the version in force at this instant (ISO-8601, e.g. 2026-03-01T10:00Z).")
  Optional<Instant> asOf;

  /**
   * The JSON shape; {@code version} and {@code recordedAt} are absent when no consent was in force.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Result(
      String patient,
      Instant asOf,
      Integer version,
      Instant recordedAt,
      int versions,
      String snapshot,
      String jurisdiction,
      List<String> narrative) {}

  @Override
  public Integer call() {
    Result result;
    try (NodeConsents node = NodeConsents.open(dir)) {
      String personKey = node.personKey(patient);
      ConsentHistory history = node.consents().history(personKey);
      NodeDefaults defaults = node.consents().defaults();
      Instant at = asOf.orElseGet(Instant::now);
      Optional<ConsentVersion> v = history.asOf(at);
      result =
          new Result(
              patient,
              at,
              v.map(ConsentVersion::version).orElse(null),
              v.map(ConsentVersion::recordedAt).orElse(null),
              history.versions().size(),
              v.map(x -> x.hash().toString())
                  .orElseGet(() -> PolicyDecisionPoint.noConsent(personKey).toString()),
              defaults.jurisdiction(),
              ConsentNarrative.render(v, defaults));
    }
    reporting.print(spec.commandLine().getOut(), result, text(result));
    return 0;
  }

  static String text(Result r) {
    StringBuilder sb = new StringBuilder(r.patient() + " as of " + r.asOf() + ": ");
    sb.append(
        r.version() == null
            ? "no consent recorded"
            : "version " + r.version() + " of " + r.versions() + ", recorded " + r.recordedAt());
    sb.append("\nsnapshot ").append(r.snapshot()).append("\n\n");
    r.narrative().forEach(line -> sb.append(line).append('\n'));
    return sb.toString();
  }
}
