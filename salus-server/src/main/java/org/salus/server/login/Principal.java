package org.salus.server.login;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salus.core.trust.Role;
import org.salus.core.trust.Scope;
import org.salus.server.credential.StatusRef;

/**
 * Who is calling, as an access token says: subject, credential issuer, role, scopes, status, and
 * the non-personal claims the holder disclosed at login (for example {@code record_ref} of a
 * patient, {@code licence_number} and {@code country} of a clinician).
 */
public record Principal(
    String subject,
    String issuer,
    Role role,
    Set<Scope> scopes,
    StatusRef credentialStatus,
    Map<String, String> claims) {

  public Principal {
    scopes = Set.copyOf(scopes);
    claims = Map.copyOf(claims);
  }

  /** A principal without disclosed claims. */
  public Principal(
      String subject, String issuer, Role role, Set<Scope> scopes, StatusRef credentialStatus) {
    this(subject, issuer, role, scopes, credentialStatus, Map.of());
  }

  /** A disclosed claim, if the holder revealed it at login. */
  public Optional<String> claim(String name) {
    return Optional.ofNullable(claims.get(name));
  }

  @Override
  public String toString() {
    // Claim values may identify a person: never print them.
    return "Principal[issuer=" + issuer + ", role=" + role + ", claims=" + claims.keySet() + "]";
  }

  /** For a patient, the record the credential links to at the home node ({@code Patient/123}). */
  public Optional<String> recordRef() {
    return role == Role.PATIENT ? claim("record_ref") : Optional.empty();
  }
}
