package org.salus.server.http;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salus.core.error.SalusException;

/**
 * The one place that turns failures into RFC 9457 {@code application/problem+json}. The body names
 * the failed check by a stable code; it never echoes a token or a credential.
 */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** Writes {@code e} as a problem; a 401 also gets {@code WWW-Authenticate} (RFC 6750). */
  public static void write(Context ctx, ProblemException e) {
    if (e.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    write(ctx, e.status(), e.code(), e.getMessage());
  }

  /** A refused input that is not about authentication: 400. */
  public static void write(Context ctx, SalusException e) {
    write(ctx, 400, e.code(), e.getMessage());
  }

  static void write(Context ctx, int status, String code, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:salus:problem:" + code);
    body.put("title", title(status));
    body.put("status", status);
    body.put("detail", detail);
    body.put("code", code);
    ctx.status(status).contentType(CONTENT_TYPE).result(JSONObjectUtils.toJSONString(body));
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 409 -> "Conflict";
      case 422 -> "Unprocessable content";
      default -> "Error";
    };
  }
}
