package org.salus.core.consent;

import java.util.Objects;

/**
 * Whom a provision names ({@code Consent.provision.actor}): one requester by reference, a clinician
 * by licence number and issuer, or anyone holding a role in a country.
 */
public sealed interface ActorMatcher {

  /** Whether the requester is one this matcher names. */
  boolean matches(Requester requester);

  /** Exactly this reference, in this role. */
  record ByReference(Role role, String reference) implements ActorMatcher {
    public ByReference {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(reference, "reference");
    }

    @Override
    public boolean matches(Requester r) {
      return r.role() == role && r.reference().equals(reference);
    }
  }

  /** The clinician holding this licence from this issuer, whatever their role or country. */
  record ByLicence(Licence licence) implements ActorMatcher {
    public ByLicence {
      Objects.requireNonNull(licence, "licence");
    }

    @Override
    public boolean matches(Requester r) {
      return r.licence().map(licence::equals).orElse(false);
    }
  }

  /** Anyone with this role whose credential was issued in this country (ISO 3166-1 alpha-2). */
  record ByRoleAndCountry(Role role, String country) implements ActorMatcher {
    public ByRoleAndCountry {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(country, "country");
    }

    @Override
    public boolean matches(Requester r) {
      return r.role() == role && r.country().equals(country);
    }
  }
}
