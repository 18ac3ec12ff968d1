package org.salus.core.consent;

import java.util.Objects;
import java.util.Optional;

/**
 * Who asks, as established by the trust layer: a stable reference (for example {@code
 * Practitioner/es-123} or a patient's own app), the role proven, the licence if a clinician, the
 * ISO 3166-1 alpha-2 country of the credential's issuer, and the kind of institution.
 */
public record Requester(
    String reference,
    Role role,
    Optional<Licence> licence,
    String country,
    InstitutionKind institutionKind) {

  public Requester {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(licence, "licence");
    Objects.requireNonNull(country, "country");
    Objects.requireNonNull(institutionKind, "institutionKind");
  }

  /** A licensed clinician. */
  public static Requester clinician(
      String reference, Role role, Licence licence, String country, InstitutionKind kind) {
    return new Requester(reference, role, Optional.of(licence), country, kind);
  }

  /** A requester without a licence (researcher, steward, the patient's app). */
  public static Requester of(String reference, Role role, String country, InstitutionKind kind) {
    return new Requester(reference, role, Optional.empty(), country, kind);
  }
}
