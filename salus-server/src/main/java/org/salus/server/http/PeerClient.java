package org.salus.server.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.salus.server.trust.NodeTls;

/**
 * HTTPS client between nodes: TLS 1.3 with this node's certificate, the trust-list check on the
 * server's certificate, and connections kept alive so a handshake is not paid per message.
 */
public final class PeerClient {

  private final HttpClient http;

  public PeerClient(NodeTls tls) {
    this.http =
        HttpClient.newBuilder()
            .sslContext(tls.context())
            .sslParameters(tls.clientParameters())
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** {@code GET url}, with an optional bearer token. */
  public HttpResponse<String> get(URI url, Optional<String> bearer)
      throws IOException, InterruptedException {
    return get(url, bearer, java.util.Map.of());
  }

  /** {@code GET url}, with an optional bearer token and extra headers. */
  public HttpResponse<String> get(
      URI url, Optional<String> bearer, java.util.Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).GET().timeout(Duration.ofSeconds(30));
    bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST url} with a body of the given content type. */
  public HttpResponse<String> post(
      URI url, String contentType, String body, Optional<String> bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType)
            .timeout(Duration.ofSeconds(30));
    bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
