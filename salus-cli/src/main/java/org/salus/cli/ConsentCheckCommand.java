package org.salus.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.salus.core.consent.AccessRequest;
import org.salus.core.consent.ConsentAction;
import org.salus.core.consent.ConsentDecision;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.DecisionBasis;
import org.salus.core.consent.InstitutionKind;
import org.salus.core.consent.PolicyDecisionPoint;
import org.salus.core.consent.Purpose;
import org.salus.core.consent.RecordFacts;
import org.salus.core.consent.RequestContext;
import org.salus.core.consent.Requester;
import org.salus.core.consent.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salus consent check}: the decision point's answer for a patient at the person level (as
 * cohort selection asks it), with what decided it: a steward's tool to see why someone is or is not
 * in a cohort.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Ask the policy decision point whether a patient may be included for a purpose (and study),",
      "as cohort selection does, and show what decided: a provision or the node default."
    })
final class ConsentCheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Reporting reporting;

  @Option(names = "--dir", required = true, description = "The node's directory.")
  Path dir;

  @Option(names = "--patient", required = true, description = "The patient: Patient/<id>.")
  String patient;

  @Option(
      names = "--purpose",
      required = true,
      description = "HL7 v3 PurposeOfUse code: HRESCH, TREAT, PUBHLTH, ...")
  String purpose;

  @Option(names = "--study", description = "The study asking (research purposes).")
  Optional<String> study;

  @Option(names = "--as-of", description = "Decide as of this instant (default: now).")
  Optional<Instant> asOf;

  @Option(
      names = "--role",
      defaultValue = "researcher",
      description = "The requester's role (default: ${DEFAULT-VALUE}).")
  String role;

  @Option(
      names = "--institution",
      defaultValue = "public",
      description = "public, private-non-profit or commercial (default: ${DEFAULT-VALUE}).")
  String institution;

  @Option(
      names = "--action",
      defaultValue = "use",
      description = "collect, access, use, disclose or correct (default: ${DEFAULT-VALUE}).")
  String action;

  /** The JSON shape; {@code provision} and {@code version} only when a consent decided. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Result(
      String patient,
      String purpose,
      String study,
      Instant asOf,
      String decision,
      String decidedBy,
      String basis,
      Integer version,
      String snapshot) {}

  @Override
  public Integer call() {
    Purpose p = option("--purpose", purpose, Purpose.fromCode(purpose.toUpperCase(Locale.ROOT)));
    Role r = option("--role", role, Role.fromCode(role));
    InstitutionKind kind =
        option("--institution", institution, InstitutionKind.fromCode(institution));
    ConsentAction act = option("--action", action, ConsentAction.fromCode(action));
    Instant at = asOf.orElseGet(Instant::now);
    Result result;
    try (NodeConsents node = NodeConsents.open(dir)) {
      ConsentHistory history = node.consents().history(node.personKey(patient));
      PolicyDecisionPoint pdp = new PolicyDecisionPoint(node.consents().defaults());
      Requester requester =
          Requester.of("urn:salus:steward-check", r, pdp.defaults().jurisdiction(), kind);
      RequestContext context = RequestContext.of(requester, p, act, at);
      if (study.isPresent()) {
        context = context.forStudy(study.get());
      }
      ConsentDecision d = pdp.decideAsOf(history, new AccessRequest(context, RecordFacts.person()));
      result =
          new Result(
              patient,
              p.code(),
              study.orElse(null),
              at,
              d.permitted() ? "permit" : "deny",
              decidedBy(d.basis()),
              d.reason(),
              history.asOf(at).map(ConsentVersion::version).orElse(null),
              d.snapshot().toString());
    }
    reporting.print(spec.commandLine().getOut(), result, text(result));
    return 0;
  }

  private static String decidedBy(DecisionBasis basis) {
    return switch (basis) {
      case DecisionBasis.ByProvision p -> "provision";
      case DecisionBasis.ByNodeDefault d -> "node-default";
      case DecisionBasis.ByEmergencyAccess e -> "emergency-access";
    };
  }

  private static <T> T option(String name, String given, Optional<T> parsed) {
    return parsed.orElseThrow(
        () ->
            new ConsentException("consent.check.invalid", name + ": unknown code '" + given + "'"));
  }

  static String text(Result r) {
    return r.decision()
        + ": "
        + r.patient()
        + " for "
        + r.purpose()
        + (r.study() == null ? "" : " in study " + r.study())
        + " as of "
        + r.asOf()
        + "\n  decided by "
        + r.basis()
        + "\n  "
        + (r.version() == null ? "no consent recorded" : "consent version " + r.version())
        + ", snapshot "
        + r.snapshot()
        + "\n";
  }
}
