package org.salus.server.login;

import java.time.Instant;
import java.util.Set;
import org.salus.core.trust.Role;
import org.salus.core.trust.Scope;

/** A bearer token a node issued at login. {@link #toString()} never shows the token. */
public record AccessToken(String jwt, Instant expires, Role role, Set<Scope> scopes) {

  public AccessToken {
    scopes = Set.copyOf(scopes);
  }

  @Override
  public String toString() {
    return "AccessToken[role=" + role + ", scopes=" + scopes + ", expires=" + expires + "]";
  }
}
