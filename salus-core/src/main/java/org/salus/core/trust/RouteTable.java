package org.salus.core.trust;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salus.core.error.SalusException;

/**
 * The declared routes of a node or hub: the one place that says who may call what. Default deny:
 * {@link #requireDeclared(Set)} refuses a set of handlers that names a route not in the table (and
 * a declaration that has no handler), so such a server does not start.
 */
public final class RouteTable {

  private final Map<String, RouteDeclaration> routes;

  private RouteTable(Map<String, RouteDeclaration> routes) {
    this.routes = routes;
  }

  public static RouteTable of(List<RouteDeclaration> declarations) {
    Map<String, RouteDeclaration> m = new LinkedHashMap<>();
    for (RouteDeclaration d : declarations) {
      if (m.putIfAbsent(d.key(), d) != null) {
        throw new SalusException("route.duplicate", "route " + d.key() + " is declared twice");
      }
    }
    return new RouteTable(m);
  }

  /** All declarations, in table order. */
  public List<RouteDeclaration> declarations() {
    return List.copyOf(routes.values());
  }

  public Optional<RouteDeclaration> find(String method, String path) {
    return Optional.ofNullable(routes.get(RouteDeclaration.key(method, path)));
  }

  /**
   * Checks that the handlers about to be registered (keys like {@code GET /status}) are exactly the
   * declared routes.
   *
   * @throws SalusException {@code route.undeclared} or {@code route.unhandled}
   */
  public void requireDeclared(Set<String> handlerKeys) {
    List<String> undeclared = new ArrayList<>();
    for (String k : handlerKeys) {
      if (!routes.containsKey(k)) {
        undeclared.add(k);
      }
    }
    if (!undeclared.isEmpty()) {
      throw new SalusException(
          "route.undeclared",
          "routes without an access declaration: " + undeclared + "; declare them in the table");
    }
    List<String> unhandled = new ArrayList<>();
    for (String k : routes.keySet()) {
      if (!handlerKeys.contains(k)) {
        unhandled.add(k);
      }
    }
    if (!unhandled.isEmpty()) {
      throw new SalusException("route.unhandled", "declared routes without handler: " + unhandled);
    }
  }
}
