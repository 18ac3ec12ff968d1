package org.salus.core.ledger.event;

import java.util.Objects;

/**
 * What the actor's credential says of them in public terms, so a patient's access history can name
 * who looked: the role, the credential's issuer, the institution and the country. None of it is
 * health data; it names a professional (or the node itself), never the patient. An empty string
 * stands for a fact the credential did not disclose.
 *
 * @param role the role as the credential proves it ({@code clinician}, {@code emergency-clinician},
 *     {@code patient}, {@code node})
 * @param issuer the credential issuer's id in the trust list (a professional register, a hospital)
 * @param institution the institution the credential discloses, or empty
 * @param country the ISO 3166 country the credential discloses, or empty
 */
public record ActorProfile(String role, String issuer, String institution, String country) {

  public ActorProfile {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(institution, "institution");
    Objects.requireNonNull(country, "country");
    if (role.isBlank()) {
      throw new IllegalArgumentException("an actor profile names a role");
    }
  }
}
