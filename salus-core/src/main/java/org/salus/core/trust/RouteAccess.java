package org.salus.core.trust;

import java.util.Set;

/**
 * Who may call a route. A closed set: every route is either open for a stated reason or restricted.
 */
public sealed interface RouteAccess {

  /**
   * No access token needed (mutual TLS still applies). Only for routes that hand out tokens or
   * nonces; {@code reason} says why, so a reviewer reading the table sees it.
   */
  record Open(String reason) implements RouteAccess {
    public Open {
      if (reason.isBlank()) {
        throw new IllegalArgumentException("an open route must say why it is open");
      }
    }
  }

  /**
   * Another federation node, identified by its mutual-TLS certificate as listed in the trust list;
   * no access token. The guard hands the handler the caller's node id, and the handler acts only on
   * that node's own data (a witness accepts checkpoints only of the caller's own log).
   */
  record PeerNode(String reason) implements RouteAccess {
    public PeerNode {
      if (reason.isBlank()) {
        throw new IllegalArgumentException("a peer-node route must say why peers call it");
      }
    }
  }

  /** A valid access token whose role is one of {@code roles} and that carries every scope. */
  record Restricted(Set<Role> roles, Set<Scope> scopes) implements RouteAccess {
    public Restricted {
      roles = Set.copyOf(roles);
      scopes = Set.copyOf(scopes);
      if (roles.isEmpty()) {
        throw new IllegalArgumentException("a restricted route must allow at least one role");
      }
    }

    /** Whether a token with this role and these scopes may call the route. */
    public boolean permits(Role role, Set<Scope> granted) {
      return roles.contains(role) && granted.containsAll(scopes);
    }
  }

  static RouteAccess open(String reason) {
    return new Open(reason);
  }

  static RouteAccess peerNode(String reason) {
    return new PeerNode(reason);
  }

  static RouteAccess restricted(Set<Role> roles, Scope... scopes) {
    return new Restricted(roles, Set.of(scopes));
  }
}
