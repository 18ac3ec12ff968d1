package org.salus.server.login;

import java.util.Optional;
import java.util.Set;
import org.salus.core.trust.Role;
import org.salus.core.trust.Scope;
import org.salus.server.credential.StatusRef;

/**
 * Who is calling, as an access token says: subject, credential issuer, role, scopes, status, and
 * for a patient the record reference the credential links to ({@code record_ref}, for example
 * {@code Patient/123} at the home node).
 */
public record Principal(
    String subject,
    String issuer,
    Role role,
    Set<Scope> scopes,
    StatusRef credentialStatus,
    Optional<String> recordRef) {

  public Principal {
    scopes = Set.copyOf(scopes);
  }

  public Principal(
      String subject, String issuer, Role role, Set<Scope> scopes, StatusRef credentialStatus) {
    this(subject, issuer, role, scopes, credentialStatus, Optional.empty());
  }
}
