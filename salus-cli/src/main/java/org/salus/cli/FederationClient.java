package org.salus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.salus.core.error.SalusException;
import org.salus.server.credential.CredentialHolder;
import org.salus.server.http.PeerClient;
import org.salus.server.trust.NodeTls;
import org.salus.server.trust.TrustListHolder;
import org.salus.server.trust.TrustListVerifier;
import picocli.CommandLine.Option;

/**
 * How a person's command reaches a node or hub: over mutual TLS under the federation identity of a
 * joined node directory ({@code --tls DIR}), logged in with their credential ({@code --credential},
 * {@code --holder-key}): fetch a nonce, present the credential revealing only {@code --reveal},
 * exchange the presentation for a 15-minute access token. Mixed into the study commands.
 */
final class FederationClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--tls",
      required = true,
      paramLabel = "DIR",
      description = "A joined node directory whose federation TLS identity the request uses.")
  Path tlsDir;

  @Option(
      names = "--credential",
      required = true,
      paramLabel = "FILE",
      description = "Your SD-JWT VC (salus credential issue).")
  Path credential;

  @Option(
      names = "--holder-key",
      required = true,
      paramLabel = "FILE",
      description = "Your private holder JWK, bound to the credential.")
  Path holderKey;

  @Option(
      names = "--reveal",
      split = ",",
      paramLabel = "CLAIMS",
      description = "Claims to disclose at login (default: institution).")
  Set<String> reveal = Set.of("institution");

  /** A client with the given identity, as the options would set it. */
  static FederationClient of(Path tls, Path credential, Path holderKey, Set<String> reveal) {
    FederationClient c = new FederationClient();
    c.tlsDir = tls;
    c.credential = credential;
    c.holderKey = holderKey;
    c.reveal = Set.copyOf(reveal);
    return c;
  }

  /** A logged-in session with one server. */
  record Session(PeerClient client, URI base, String token) {

    HttpResponse<String> get(String path) {
      return send(() -> client.get(base.resolve(path), Optional.of(token)));
    }

    HttpResponse<String> post(String path, String contentType, String body) {
      return send(() -> client.post(base.resolve(path), contentType, body, Optional.of(token)));
    }

    /** The JSON body of a 2xx answer; a problem becomes a {@link SalusException} with its code. */
    JsonNode json(HttpResponse<String> r) {
      JsonNode body;
      try {
        body = JSON.readTree(r.body());
      } catch (IOException e) {
        throw new SalusException(
            "client.answer.malformed", base + " answered HTTP " + r.statusCode() + " without JSON");
      }
      if (r.statusCode() / 100 != 2) {
        throw new SalusException(
            body.path("code").asText("http." + r.statusCode()),
            body.path("detail").asText(base + " answered HTTP " + r.statusCode()));
      }
      return body;
    }
  }

  /** Connects to {@code base} and logs in. */
  Session login(String base) {
    URI uri = URI.create(base.endsWith("/") ? base : base + "/");
    PeerClient client = client();
    JsonNode status = json(send(() -> client.get(uri.resolve("status"), Optional.empty())), uri);
    String audience = status.path("node").asText();
    String nonce =
        json(
                send(
                    () ->
                        client.post(
                            uri.resolve("login/nonce"), "text/plain", "", Optional.empty())),
                uri)
            .path("nonce")
            .asText();
    String presentation;
    try {
      JWK key = Jwks.read(holderKey, "--holder-key");
      presentation =
          new CredentialHolder(key)
              .present(
                  Files.readString(credential).strip(), reveal, nonce, audience, Instant.now());
    } catch (IOException e) {
      throw new SalusException("client.credential.unreadable", "cannot read " + credential);
    }
    JsonNode token =
        json(
            send(
                () ->
                    client.post(
                        uri.resolve("login"), "text/plain", presentation, Optional.empty())),
            uri);
    return new Session(client, uri, token.path("access_token").asText());
  }

  private PeerClient client() {
    try {
      NodeFederation.Start s = NodeFederation.load(tlsDir);
      TrustListHolder trust =
          TrustListHolder.load(
              new TrustListVerifier(s.operatorKey()), s.trustListJws(), Clock.systemUTC());
      return new PeerClient(
          NodeTls.create(
              s.keys().federationCa(), s.keys().tlsCertificate(), s.keys().tlsKey(), trust));
    } catch (IOException e) {
      throw new SalusException(
          "client.tls.unreadable", "cannot read the federation identity in " + tlsDir);
    }
  }

  private static JsonNode json(HttpResponse<String> r, URI base) {
    return new Session(null, base, "").json(r);
  }

  private interface Call {
    HttpResponse<String> send() throws IOException, InterruptedException;
  }

  private static HttpResponse<String> send(Call call) {
    try {
      return call.send();
    } catch (ConnectException e) {
      throw new SalusException("client.unreachable", "the server refused the connection");
    } catch (IOException e) {
      throw new SalusException(
          "client.unreachable", "the server could not be reached: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SalusException("client.interrupted", "interrupted");
    }
  }
}
