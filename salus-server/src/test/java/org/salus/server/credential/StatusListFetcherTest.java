package org.salus.server.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetKeyPair;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salus.core.trust.IssuerKind;
import org.salus.core.trust.StatusBits;
import org.salus.core.trust.TrustedIssuer;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.FederationCa;
import org.salus.server.trust.FederationOperator;
import org.salus.server.trust.TrustListHolder;
import org.salus.server.trust.TrustListVerifier;

class StatusListFetcherTest {

  private final OctetKeyPair issuerKey = Ed25519Keys.newSigningKey("issuer");
  private final AtomicReference<String> published = new AtomicReference<>("");
  private HttpServer server;
  private String url;
  private StatusListCache cache;
  private StatusListFetcher fetcher;

  @BeforeEach
  void issuerPublishes() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/status/1",
        ex -> {
          byte[] body = published.get().getBytes(StandardCharsets.US_ASCII);
          ex.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/status/1";
    Clock clock = Clock.systemUTC();
    FederationOperator op = FederationOperator.create("f", clock);
    op.admitNode(
        "node-a",
        "A",
        "NL",
        "https://localhost",
        Ed25519Keys.newSigningKey("a"),
        Ed25519Keys.newAgreementKey("ax"),
        FederationCa.newEcKeyPair().getPublic());
    op.addIssuer(
        new TrustedIssuer(
            "iss",
            "Issuer",
            IssuerKind.HOSPITAL,
            "NL",
            issuerKey.toPublicJWK().toJSONString(),
            url),
        Set.of("node-a"));
    TrustListHolder trust =
        TrustListHolder.load(
            new TrustListVerifier(op.operatorPublicKey()), op.signedTrustList(), clock);
    cache = new StatusListCache(trust, clock);
    fetcher = new StatusListFetcher(HttpClient.newHttpClient(), trust, cache);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String list(OctetKeyPair key, int... revoked) {
    StatusBits bits = StatusBits.allValid(1, 64);
    for (int i : revoked) {
      bits = bits.with(i, StatusBits.INVALID);
    }
    return StatusListToken.sign(key, url, bits, Instant.now(), Duration.ofHours(1));
  }

  @Test
  void aRevocationPublishedByTheIssuerReachesTheNodeOnTheNextRefresh() throws Exception {
    published.set(list(issuerKey));
    assertThat(fetcher.refreshAll())
        .containsExactly(new StatusListFetcher.Outcome(url, Optional.empty()));
    assertThat(cache.status(new StatusRef(url, 3))).hasValue(StatusBits.VALID);
    published.set(list(issuerKey, 3));
    fetcher.refreshAll();
    assertThat(cache.status(new StatusRef(url, 3))).hasValue(StatusBits.INVALID);
  }

  @Test
  void aListSignedByAnotherKeyIsRefusedAndTheOldOneKept() throws Exception {
    published.set(list(issuerKey));
    fetcher.refreshAll();
    published.set(list(Ed25519Keys.newSigningKey("mallory"), 3));
    List<StatusListFetcher.Outcome> outcomes = fetcher.refreshAll();
    assertThat(outcomes.get(0).failure()).contains("status-list.invalid");
    assertThat(cache.status(new StatusRef(url, 3))).hasValue(StatusBits.VALID);
  }

  @Test
  void anUnreachableListIsReported() throws Exception {
    assertThat(fetcher.refreshAll().get(0).failure())
        .hasValueSatisfying(f -> assertThat(f).contains("404"));
    assertThat(cache.status(new StatusRef(url, 0))).isEmpty();
  }
}
