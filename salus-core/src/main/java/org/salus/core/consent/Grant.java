package org.salus.core.consent;

import java.util.Objects;
import java.util.Set;

/**
 * A patient's grant to a clinician — named by licence and issuer, or by role and country — to read
 * some classes of their record for treatment during a period. Recorded as provisions with id {@code
 * grant-<id>} (see {@link ConsentChoices#grant}); revoking it records a new version without it, so
 * revocation and expiry take effect on the next request.
 *
 * @param mayWrite whether the grantee may also write observations back ({@link
 *     ConsentAction#CORRECT})
 */
public record Grant(
    String id, ActorMatcher grantee, Set<DataClass> classes, Interval period, boolean mayWrite) {

  public Grant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(grantee, "grantee");
    classes = Set.copyOf(classes);
    Objects.requireNonNull(period, "period");
    if (classes.isEmpty()) {
      throw new ConsentException(
          "consent.grant.no-classes", "grant " + id + " names no data classes");
    }
    if (period.end().isEmpty()) {
      throw new ConsentException("consent.grant.unbounded", "grant " + id + " has no end");
    }
  }

  /** The provision id this grant is recorded under. */
  public String provisionId() {
    return "grant-" + id;
  }

  /**
   * The provisions this grant stands for: a scope naming the grantee, purpose TREAT and the period,
   * with a permit to read the classes and, if {@link #mayWrite}, a permit to write results back.
   */
  public Provision toProvision() {
    Provision.Builder scope =
        Provision.scope().id(provisionId()).actor(grantee).purposes(Purpose.TREAT).period(period);
    scope.provision(
        Provision.permit()
            .id(provisionId() + "-read")
            .actions(ConsentAction.ACCESS)
            .classes(classes)
            .build());
    if (mayWrite) {
      scope.provision(
          Provision.permit()
              .id(provisionId() + "-write")
              .actions(ConsentAction.CORRECT)
              .classes(DataClass.RESULTS)
              .build());
    }
    return scope.build();
  }
}
