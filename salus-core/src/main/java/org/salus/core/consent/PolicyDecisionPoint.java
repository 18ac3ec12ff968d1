package org.salus.core.consent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The one place that decides whether a request may touch a record, for every path: FHIR reads and
 * searches, summaries, write-back, cohort selection.
 *
 * <p><b>Combining rule: the innermost applicable provisions decide, and among them a deny
 * overrides.</b> A provision is <i>applicable</i> when it and all its ancestors match the request.
 * The <i>deciding</i> provisions are the applicable provisions with a type that have no applicable
 * typed descendant. If any deciding provision denies, the answer is deny; else, if there is one,
 * permit; if there is none, the node default for the purpose decides ({@link NodeDefaults}). An
 * open {@link EmergencyAccess} can turn a deny into a permit, within its own narrow scope.
 *
 * <p>Why: FHIR R4 defines nested provisions as exceptions to their parent, so the innermost
 * applicable one must win over its ancestors. Among siblings, which do not refine each other,
 * deny-overrides (XACML 3.0 §C.2) is the safe choice and makes the decision independent of the
 * order of provisions. Together they give the guarantee patients need: a deny can be lifted only by
 * a permit nested inside it, hence narrower than it; a broader permit elsewhere never overrides it.
 * The cited provision is the first deciding deny (or permit) in document order.
 *
 * <p>Deterministic and free of state: the same consent, defaults and request always give the same
 * decision. Replay uses {@link #decideAsOf}.
 */
public final class PolicyDecisionPoint {

  private static final String ROOT = "Consent.provision";

  /** Outcomes of the fast path. */
  private static final int NONE = 0;

  private static final int PERMIT = 1;
  private static final int DENY = 2;

  private final NodeDefaults defaults;

  public PolicyDecisionPoint(NodeDefaults defaults) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
  }

  public NodeDefaults defaults() {
    return defaults;
  }

  /** Decides under the given consent version, or under node defaults alone if empty. */
  public ConsentDecision decide(
      String patient, Optional<ConsentVersion> consent, AccessRequest request) {
    SnapshotHash snapshot = consent.map(ConsentVersion::hash).orElseGet(() -> noConsent(patient));
    Outcome outcome =
        consent.isPresent() ? evaluate(consent.get().root(), null, -1, request) : null;
    boolean permitted;
    DecisionBasis basis;
    if (outcome == null) {
      DefaultRule rule = defaults.ruleFor(request.context().purpose());
      permitted = rule == DefaultRule.OPT_OUT;
      basis = new DecisionBasis.ByNodeDefault(request.context().purpose(), rule);
    } else {
      permitted = outcome.type == ProvisionType.PERMIT;
      basis = new DecisionBasis.ByProvision(outcome.path(), outcome.provision.id());
    }
    if (!permitted) {
      Optional<EmergencyAccess> emergency = request.context().emergency();
      if (emergency.isPresent() && emergency.get().covers(patient, request)) {
        return new ConsentDecision.Permit(
            new DecisionBasis.ByEmergencyAccess(emergency.get().id()), snapshot);
      }
      return new ConsentDecision.Deny(basis, snapshot);
    }
    return new ConsentDecision.Permit(basis, snapshot);
  }

  /** Decides under the patient's current consent. */
  public ConsentDecision decide(ConsentHistory history, AccessRequest request) {
    return decide(history.patient(), history.current(), request);
  }

  /** Decides under the version that was in force at the request's time: replay. */
  public ConsentDecision decideAsOf(ConsentHistory history, AccessRequest request) {
    return decide(history.patient(), history.asOf(request.context().time()), request);
  }

  /**
   * A filter for searches: keeps exactly the records this request may see, so a search built on it
   * returns denied records neither as rows nor in totals.
   */
  public Predicate<RecordFacts> filter(ConsentHistory history, RequestContext context) {
    Optional<ConsentVersion> consent = history.asOf(context.time());
    String patient = history.patient();
    return facts -> decide(patient, consent, new AccessRequest(context, facts)).permitted();
  }

  /**
   * Whether the request is permitted, without building the decision's explanation: the cohort
   * filter's fast path. Same rule as {@link #decide}; emergency access is not considered.
   */
  boolean permits(Optional<ConsentVersion> consent, AccessRequest request) {
    int outcome = consent.isPresent() ? quick(consent.get().root(), request) : NONE;
    return switch (outcome) {
      case PERMIT -> true;
      case DENY -> false;
      default -> defaults.ruleFor(request.context().purpose()) == DefaultRule.OPT_OUT;
    };
  }

  /** {@link #evaluate} without the trail: NONE, PERMIT or DENY. */
  private static int quick(Provision p, AccessRequest r) {
    if (!p.appliesTo(r)) {
      return NONE;
    }
    boolean permitted = false;
    for (Provision child : p.provisions()) {
      int o = quick(child, r);
      if (o == DENY) {
        return DENY;
      }
      permitted |= o == PERMIT;
    }
    if (permitted) {
      return PERMIT;
    }
    return p.type().map(t -> t == ProvisionType.PERMIT ? PERMIT : DENY).orElse(NONE);
  }

  /** The snapshot hash standing for "this patient has recorded no consent". */
  public static SnapshotHash noConsent(String patient) {
    return SnapshotHash.ofCanonical("15:salus-no-consent" + patient.length() + ":" + patient);
  }

  /** Innermost-applicable, deny-overrides; null when no typed provision applies. */
  private static Outcome evaluate(Provision p, Outcome.Trail parent, int index, AccessRequest r) {
    if (!p.appliesTo(r)) {
      return null;
    }
    Outcome.Trail trail = new Outcome.Trail(parent, index);
    List<Provision> children = p.provisions();
    Outcome firstPermit = null;
    for (int i = 0; i < children.size(); i++) {
      Outcome o = evaluate(children.get(i), trail, i, r);
      if (o != null) {
        if (o.type == ProvisionType.DENY) {
          return o;
        }
        if (firstPermit == null) {
          firstPermit = o;
        }
      }
    }
    if (firstPermit != null) {
      return firstPermit;
    }
    return p.type().map(t -> new Outcome(t, p, trail)).orElse(null);
  }

  private record Outcome(ProvisionType type, Provision provision, Trail trail) {
    String path() {
      StringBuilder sb = new StringBuilder();
      trail.appendTo(sb);
      return sb.toString();
    }

    /** The path from the root, built only for the deciding provision. */
    record Trail(Trail parent, int index) {
      void appendTo(StringBuilder sb) {
        if (parent == null) {
          sb.append(ROOT);
        } else {
          parent.appendTo(sb);
          sb.append(".provision[").append(index).append(']');
        }
      }
    }
  }
}
