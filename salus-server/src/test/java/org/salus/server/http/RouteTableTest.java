package org.salus.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.witness.AddCheckpointRequest;
import org.salus.core.trust.CredentialSchema;
import org.salus.core.trust.Role;
import org.salus.core.trust.RouteAccess;
import org.salus.core.trust.RouteDeclaration;
import org.salus.server.credential.CredentialHolder;
import org.salus.server.fixture.FakeLedger;
import org.salus.server.fixture.TestFederation;
import org.salus.server.ledger.LedgerPort;
import org.salus.server.records.RecordsPort;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.NodeKeys;
import org.salus.server.trust.NodeTls;
import org.salus.server.trust.TrustListHolder;
import org.salus.server.trust.TrustListVerifier;

/**
 * Walks {@link NodeRoutes#TABLE}: for every restricted route, eight bad attempts are refused and
 * only the right credential gets through. A new row in the table is covered without editing this
 * test.
 */
class RouteTableTest {

  private static TestFederation fed;
  private static TrustedNode node;
  private static PeerClient client;
  private static final OctetKeyPair HOLDER_KEY = Ed25519Keys.newSigningKey("holder");
  private static int nextIndex = 1;
  private static final FakeLedger ledger = new FakeLedger();

  @BeforeAll
  static void startNode() {
    fed = new TestFederation("fed-a");
    fed.admit("node-a");
    NodeKeys gateway = fed.admit("gateway");
    fed.addIssuer("node-a");
    node = fed.start("node-a", ledger);
    TrustListHolder gatewayTrust =
        TrustListHolder.load(
            new TrustListVerifier(fed.operator.operatorPublicKey()),
            fed.operator.signedTrustList(),
            fed.clock);
    client =
        new PeerClient(
            NodeTls.create(
                gateway.federationCa(), gateway.tlsCertificate(), gateway.tlsKey(), gatewayTrust));
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void everyRestrictedRouteAdmitsOnlyTheRightCredential() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    int restricted = 0;
    for (RouteDeclaration route : NodeRoutes.TABLE.declarations()) {
      if (route.access() instanceof RouteAccess.Restricted access) {
        restricted++;
        walk(route, access, soft);
      }
    }
    assertThat(restricted).as("restricted routes in the table").isGreaterThanOrEqualTo(2);
    soft.assertAll();
  }

  @Test
  void openRoutesSayWhyTheyAreOpen() {
    for (RouteDeclaration route : NodeRoutes.TABLE.declarations()) {
      if (route.access() instanceof RouteAccess.Open open) {
        assertThat(open.reason()).as(route.key()).isNotBlank();
        assertThat(route.path())
            .as("only login and health may be open")
            .isIn("/login", "/login/nonce", "/status");
      }
    }
  }

  @Test
  void everyPeerNodeRouteNamesItsCallerByCertificateWithoutAToken() throws Exception {
    int peerRoutes = 0;
    for (RouteDeclaration route : NodeRoutes.TABLE.declarations()) {
      if (route.access() instanceof RouteAccess.PeerNode peer) {
        peerRoutes++;
        assertThat(peer.reason()).as(route.key()).isNotBlank();
        assertThat(route.path())
            .as("peer routes live under /witness or /studies")
            .matches("/(witness|studies)/.*");
        HttpResponse<String> garbage = call(route, Optional.empty());
        if (route.path().startsWith("/witness/")) {
          assertThat(garbage.statusCode()).as(route.key() + ": malformed body").isEqualTo(400);
        } else {
          assertThat(garbage.statusCode())
              .as(
                  route.key()
                      + ": a listed peer passes the guard without a token; this test"
                      + " node takes part in no studies")
              .isEqualTo(503);
          assertThat(garbage.body()).contains("studies.unavailable");
        }
      }
    }
    // witness add-checkpoint and key-rotation; study proposals, decision, join, step, leave; the
    // four secure-aggregation phases and the three of one-trip rounds (prepare, prepare-shares,
    // one-trip)
    assertThat(peerRoutes).as("peer-node routes in the table").isEqualTo(14);
    NoteSigner log = NoteSigner.generate("salus.node/gateway", KeyType.ED25519, new SecureRandom());
    SignedCheckpoint cp =
        SignedCheckpoint.sign(new Checkpoint("salus.node/gateway", 1, Hash.of(new byte[32])), log);
    HttpResponse<String> r =
        client.post(
            URI.create("https://localhost:" + node.port() + "/witness/add-checkpoint"),
            AddCheckpointRequest.CONTENT_TYPE,
            new AddCheckpointRequest(0, List.of(), cp).encode(),
            Optional.empty());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    assertThat(r.body()).isEqualTo("0\n");
    assertThat(ledger.peers()).as("the guard names the TLS peer").contains("gateway");
  }

  @Test
  void aServerWithAnUndeclaredRouteDoesNotStart() {
    Map<String, io.javalin.http.Handler> handlers =
        new java.util.LinkedHashMap<>(
            NodeRoutes.handlers(
                "node-a", node.trustList(), null, RecordsPort.unavailable(), LedgerPort.none()));
    handlers.put("GET /secret", ctx -> ctx.result("secret"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                NodeServer.start(
                    new ServerSettings("localhost", 0),
                    node.tls(),
                    NodeRoutes.TABLE,
                    handlers,
                    null))
        .hasMessageContaining("GET /secret");
  }

  private void walk(RouteDeclaration route, RouteAccess.Restricted access, SoftAssertions soft)
      throws Exception {
    Role right = EnumSet.copyOf(access.roles()).iterator().next();
    String name = route.key();
    Login good = login(right);

    expectRefused(soft, name, "no token", call(route, Optional.empty()));
    expectRefused(
        soft,
        name,
        "expired",
        call(
            route,
            Optional.of(
                forge(
                    good.token,
                    c ->
                        c.issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(30))))
                            .expirationTime(
                                Date.from(Instant.now().minus(Duration.ofMinutes(16))))))));
    expectRefused(
        soft,
        name,
        "wrong audience",
        call(route, Optional.of(forge(good.token, c -> c.audience("node-b")))));
    Set<Role> others = EnumSet.complementOf(EnumSet.copyOf(access.roles()));
    if (!others.isEmpty()) {
      expectRefused(
          soft,
          name,
          "wrong role",
          call(route, Optional.of(login(others.iterator().next()).token)));
    } else {
      // Every role may call it: a token lacking the route's scopes stands in for the wrong role.
      expectRefused(
          soft,
          name,
          "wrong role (missing scopes)",
          call(route, Optional.of(forge(good.token, c -> c.claim("scope", "")))));
    }
    Login doomed = login(right);
    fed.revoke(doomed.index);
    node.statusLists().refresh(fed.statusList());
    expectRefused(soft, name, "revoked credential", call(route, Optional.of(doomed.token)));
    String tampered = tamper(good.token);
    HttpResponse<String> tamperedResponse = call(route, Optional.of(tampered));
    expectRefused(soft, name, "tampered signature", tamperedResponse);
    soft.assertThat(tamperedResponse.body())
        .as(name + ": a refusal never echoes the token")
        .doesNotContain(tampered.substring(0, tampered.indexOf('.')))
        .contains("token.bad-signature");
    expectRefused(soft, name, "alg none", call(route, Optional.of(algNone(good.token))));
    HttpResponse<String> replay = post("/login", good.presentation);
    soft.assertThat(replay.statusCode()).as(name + ": login with a replayed nonce").isEqualTo(401);
    soft.assertThat(replay.body())
        .as(name + ": replay gives no token")
        .doesNotContain("access_token");
    expectRefused(soft, name, "replayed nonce", call(route, tokenIn(replay)));

    HttpResponse<String> ok = call(route, Optional.of(good.token));
    // Past the guard, a handler may still refuse the empty input or a node without records (503);
    // salus-cli's WiredRouteTableTest walks the table against a fully wired node and refuses 503.
    soft.assertThat(ok.statusCode()).as(name + ": right credential: " + ok.body()).isIn(200, 503);
  }

  private static void expectRefused(
      SoftAssertions soft, String route, String attempt, HttpResponse<String> r) {
    soft.assertThat(r.statusCode()).as(route + ": " + attempt).isIn(401, 403);
    soft.assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .as(route + ": " + attempt + " content type")
        .startsWith(Problems.CONTENT_TYPE);
  }

  private record Login(String token, String presentation, int index) {}

  private static synchronized Login login(Role role) throws Exception {
    int index = nextIndex++;
    Map<String, Object> claims = new java.util.HashMap<>();
    for (String c : CredentialSchema.requiredClaims(role)) {
      claims.put(c, c.equals("country") ? "NL" : "value-of-" + c);
    }
    String credential =
        fed.issuer()
            .issue(
                role,
                "subject-" + index,
                claims,
                HOLDER_KEY.toPublicJWK(),
                index,
                Duration.ofDays(1));
    String nonce = (String) JSONObjectUtils.parse(post("/login/nonce", "").body()).get("nonce");
    String presentation =
        new CredentialHolder(HOLDER_KEY)
            .present(
                credential,
                new HashSet<>(CredentialSchema.minimalDisclosure(role)),
                nonce,
                "node-a",
                Instant.now());
    HttpResponse<String> r = post("/login", presentation);
    assertThat(r.statusCode()).as("login as " + role + ": " + r.body()).isEqualTo(200);
    return new Login(tokenIn(r).orElseThrow(), presentation, index);
  }

  private static Optional<String> tokenIn(HttpResponse<String> r) throws Exception {
    if (r.statusCode() != 200) {
      return Optional.empty();
    }
    return Optional.ofNullable((String) JSONObjectUtils.parse(r.body()).get("access_token"));
  }

  private static String forge(String token, UnaryOperator<JWTClaimsSet.Builder> change)
      throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType("at+jwt")).build(),
            change.apply(new JWTClaimsSet.Builder(claims)).build());
    jwt.sign(new Ed25519Signer(fed.keys("node-a").signingKey()));
    return jwt.serialize();
  }

  private static String tamper(String token) {
    char[] c = token.toCharArray();
    int i = token.lastIndexOf('.') + 5;
    c[i] = c[i] == 'A' ? 'B' : 'A';
    return new String(c);
  }

  private static String algNone(String token) throws Exception {
    return new PlainJWT(SignedJWT.parse(token).getJWTClaimsSet()).serialize();
  }

  private static HttpResponse<String> call(RouteDeclaration route, Optional<String> token)
      throws Exception {
    URI url =
        URI.create("https://localhost:" + node.port() + route.path().replaceAll("\\{[^}]+}", "x"));
    return route.method().equals("GET")
        ? client.get(url, token)
        : client.post(url, "application/json", "{}", token);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return client.post(
        URI.create("https://localhost:" + node.port() + path),
        "text/plain",
        body,
        Optional.empty());
  }
}
