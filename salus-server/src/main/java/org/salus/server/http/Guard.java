package org.salus.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.OptionalInt;
import org.salus.core.trust.RouteAccess;
import org.salus.core.trust.RouteDeclaration;
import org.salus.core.trust.RouteTable;
import org.salus.core.trust.StatusBits;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.credential.StatusListCache;
import org.salus.server.login.AccessTokens;
import org.salus.server.login.Principal;
import org.salus.server.login.TokenVerdict;
import org.salus.server.trust.NodeTls;
import org.salus.server.trust.TrustListHolder;

/**
 * Runs before every matched route: the TLS peer must still be in the trust list (a connection kept
 * alive across a refresh is cut off here), the route must be declared, and for a restricted route
 * the bearer token must verify, its credential must not be revoked, and its role and scopes must be
 * allowed; for a peer-node route the caller's node id is handed on. Anything else is refused; the
 * token is never logged or echoed.
 */
public final class Guard implements Handler {

  /** Context attribute holding the {@link Principal} of a restricted route's caller. */
  public static final String PRINCIPAL = "salus.principal";

  /**
   * Context attribute holding the trust-list entry of a peer-node route's caller (by its TLS
   * certificate).
   */
  public static final String PEER_NODE = "salus.peer-node";

  private static final String CLIENT_CERTS = "jakarta.servlet.request.X509Certificate";

  private final RouteTable table;
  private final TrustListHolder trustList;
  private final AccessTokens tokens;
  private final StatusListCache statusLists;

  public Guard(
      RouteTable table,
      TrustListHolder trustList,
      AccessTokens tokens,
      StatusListCache statusLists) {
    this.table = table;
    this.trustList = trustList;
    this.tokens = tokens;
    this.statusLists = statusLists;
  }

  @Override
  public void handle(Context ctx) {
    TrustedNodeEntry peer = requireListedPeer(ctx);
    io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    RouteDeclaration route =
        table
            .find(matched.method.name(), matched.path)
            .orElseThrow(
                () -> new ProblemException(403, "route.undeclared", "route is not declared"));
    switch (route.access()) {
      case RouteAccess.Open open -> {}
      case RouteAccess.PeerNode node -> ctx.attribute(PEER_NODE, peer);
      case RouteAccess.Restricted restricted ->
          ctx.attribute(PRINCIPAL, authorise(ctx, restricted));
    }
  }

  private TrustedNodeEntry requireListedPeer(Context ctx) {
    Object certs = ctx.req().getAttribute(CLIENT_CERTS);
    if (certs instanceof X509Certificate[] chain && chain.length > 0) {
      Optional<TrustedNodeEntry> listed = NodeTls.listedNode(chain[0], trustList);
      if (listed.isPresent()) {
        return listed.get();
      }
    }
    throw new ProblemException(
        401, "peer.not-listed", "client certificate is not listed in the current trust list");
  }

  private Principal authorise(Context ctx, RouteAccess.Restricted access) {
    String header = ctx.header("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      throw new ProblemException(401, "token.missing", "route needs a Bearer access token");
    }
    Principal p =
        switch (tokens.verify(header.substring("Bearer ".length()).strip())) {
          case TokenVerdict.Valid v -> v.principal();
          case TokenVerdict.Invalid i -> throw new ProblemException(401, i.code(), i.reason());
        };
    OptionalInt status = statusLists.status(p.credentialStatus());
    if (status.isEmpty()) {
      throw new ProblemException(
          401, "credential.status-unknown", "credential status list is not available");
    }
    if (status.getAsInt() != StatusBits.VALID) {
      throw new ProblemException(401, "credential.revoked", "credential has been revoked");
    }
    if (!access.permits(p.role(), p.scopes())) {
      throw new ProblemException(
          403,
          "access.denied",
          "route allows roles " + access.roles() + " with scopes " + access.scopes());
    }
    return p;
  }
}
