package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import org.salus.core.trust.CredentialSchema;
import org.salus.core.trust.Role;
import org.salus.server.credential.CredentialHolder;
import org.salus.server.http.PeerClient;

/** Logging in to a node over HTTP, step by step: ask a nonce, present over it, exchange. */
final class NodeLogin {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PeerClient client;
  private final URI base;
  private final String audience;
  private final Path holderKey;

  NodeLogin(PeerClient client, int port, String audience, Path holderKey) {
    this.client = client;
    this.base = URI.create("https://localhost:" + port + "/");
    this.audience = audience;
    this.holderKey = holderKey;
  }

  /** A fresh nonce from {@code POST /login/nonce}. */
  String nonce() throws Exception {
    HttpResponse<String> r =
        client.post(base.resolve("login/nonce"), "text/plain", "", Optional.empty());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("nonce").asText();
  }

  /** A presentation of {@code credential} over {@code nonce}, revealing the minimal claims. */
  String present(Path credential, Role role, String nonce) throws Exception {
    return new CredentialHolder(Jwks.read(holderKey, "holder key"))
        .present(
            Files.readString(credential).strip(),
            new HashSet<>(CredentialSchema.minimalDisclosure(role)),
            nonce,
            audience,
            Instant.now());
  }

  /** {@code POST /login} with a presentation. */
  HttpResponse<String> login(String presentation) throws Exception {
    return client.post(base.resolve("login"), "text/plain", presentation, Optional.empty());
  }

  /** Logs in; the access token. */
  String token(Path credential, Role role) throws Exception {
    HttpResponse<String> r = login(present(credential, role, nonce()));
    assertThat(r.statusCode()).as("login as " + role + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("access_token").asText();
  }
}
