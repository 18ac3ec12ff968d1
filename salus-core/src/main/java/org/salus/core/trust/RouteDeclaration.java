package org.salus.core.trust;

import java.util.Locale;

/** One row of a node's route table: method, path (Javalin syntax) and who may call it. */
public record RouteDeclaration(String method, String path, RouteAccess access, String summary) {

  public RouteDeclaration {
    method = method.toUpperCase(Locale.ROOT);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path '" + path + "' must start with /");
    }
  }

  /** {@code GET /status}, the key the table is indexed by. */
  public String key() {
    return key(method, path);
  }

  public static String key(String method, String path) {
    return method.toUpperCase(Locale.ROOT) + " " + path;
  }
}
