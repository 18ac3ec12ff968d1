package org.salus.server.login;

import java.util.Set;
import org.salus.core.trust.Role;
import org.salus.core.trust.Scope;
import org.salus.server.credential.StatusRef;

/** Who is calling, as an access token says: subject, credential issuer, role, scopes, status. */
public record Principal(
    String subject, String issuer, Role role, Set<Scope> scopes, StatusRef credentialStatus) {

  public Principal {
    scopes = Set.copyOf(scopes);
  }
}
