package org.salus.server.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.server.fixture.TestFederation;
import org.salus.server.http.PeerClient;
import org.salus.server.http.TrustedNode;

/** Real nodes on loopback with real TLS 1.3. */
class MutualTlsTest {

  @Test
  void twoNodesOfOneFederationTalk() throws Exception {
    TestFederation fed = new TestFederation("fed-a");
    fed.admit("node-a");
    fed.admit("node-b");
    try (TrustedNode a = fed.start("node-a");
        TrustedNode b = fed.start("node-b")) {
      PeerClient fromB = new PeerClient(b.tls());
      HttpResponse<String> r = fromB.get(status(a), Optional.empty());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"node\":\"node-a\"");
      assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    }
  }

  @Test
  void aResumedTlsSessionStillIdentifiesThePeer() throws Exception {
    TestFederation fed = new TestFederation("fed-a");
    fed.admit("node-a");
    fed.admit("node-b");
    try (TrustedNode a = fed.start("node-a");
        TrustedNode b = fed.start("node-b")) {
      for (int i = 0; i < 5; i++) {
        // A new client on the same SSL context resumes the earlier session.
        HttpResponse<String> r = new PeerClient(b.tls()).get(status(a), Optional.empty());
        assertThat(r.statusCode()).as("connection %d: %s", i, r.body()).isEqualTo(200);
      }
    }
  }

  @Test
  void nodesOfTwoFederationsCannotTalk() throws Exception {
    TestFederation fedA = new TestFederation("fed-a");
    TestFederation fedB = new TestFederation("fed-b");
    fedA.admit("node-a");
    fedB.admit("node-b");
    try (TrustedNode a = fedA.start("node-a");
        TrustedNode b = fedB.start("node-b")) {
      Throwable t = catchThrowable(() -> new PeerClient(b.tls()).get(status(a), Optional.empty()));
      assertThat(t).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aNodeRemovedFromTheTrustListIsRefusedAfterRefresh() throws Exception {
    TestFederation fed = new TestFederation("fed-a");
    fed.admit("node-a");
    fed.admit("node-b");
    try (TrustedNode a = fed.start("node-a");
        TrustedNode b = fed.start("node-b")) {
      PeerClient fromB = new PeerClient(b.tls());
      assertThat(fromB.get(status(a), Optional.empty()).statusCode()).isEqualTo(200);

      fed.operator.removeNode("node-b");
      assertThat(a.trustList().refresh(fed.operator.signedTrustList()))
          .isInstanceOf(TrustListVerdict.Accepted.class);

      // The kept-alive connection is cut off by the guard.
      HttpResponse<String> kept = fromB.get(status(a), Optional.empty());
      assertThat(kept.statusCode()).isEqualTo(401);
      assertThat(kept.body()).contains("peer.not-listed");
      // A new connection fails the handshake, or (when TLS resumes the old session, which skips
      // the trust manager) is refused by the guard.
      assertThat(refused(() -> new PeerClient(b.tls()).get(status(a), Optional.empty()))).isTrue();
    }
  }

  @Test
  void aClientWithoutCertificateIsRefused() throws Exception {
    TestFederation fed = new TestFederation("fed-a");
    fed.admit("node-a");
    try (TrustedNode a = fed.start("node-a")) {
      javax.net.ssl.SSLContext noCert = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
      var trustCa = java.security.KeyStore.getInstance("PKCS12");
      trustCa.load(null, null);
      trustCa.setCertificateEntry("ca", fed.operator.ca().certificate());
      var tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
      tmf.init(trustCa);
      noCert.init(null, tmf.getTrustManagers(), null);
      var client = java.net.http.HttpClient.newBuilder().sslContext(noCert).build();
      Throwable t =
          catchThrowable(
              () ->
                  client.send(
                      java.net.http.HttpRequest.newBuilder(status(a)).build(),
                      HttpResponse.BodyHandlers.ofString()));
      assertThat(t).isInstanceOf(IOException.class);
    }
  }

  private static boolean refused(java.util.concurrent.Callable<HttpResponse<String>> call) {
    try {
      return call.call().statusCode() == 401;
    } catch (IOException e) {
      return true;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static URI status(TrustedNode n) {
    return URI.create("https://localhost:" + n.port() + "/status");
  }
}
