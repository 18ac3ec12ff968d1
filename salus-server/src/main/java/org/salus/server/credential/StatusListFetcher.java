package org.salus.server.credential;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.salus.core.error.SalusException;
import org.salus.core.trust.TrustedIssuer;
import org.salus.server.trust.TrustListHolder;

/**
 * Fetches the status list of every issuer in the current trust list and hands it to the {@link
 * StatusListCache}, which verifies it. A list that cannot be fetched or does not verify leaves the
 * previous one in place; the outcome says which.
 */
public final class StatusListFetcher {

  /** What happened to one issuer's list. */
  public record Outcome(String uri, Optional<String> failure) {}

  private final HttpClient http;
  private final TrustListHolder trustList;
  private final StatusListCache cache;

  public StatusListFetcher(HttpClient http, TrustListHolder trustList, StatusListCache cache) {
    this.http = http;
    this.trustList = trustList;
    this.cache = cache;
  }

  public List<Outcome> refreshAll() throws InterruptedException {
    List<Outcome> out = new ArrayList<>();
    for (TrustedIssuer issuer : trustList.current().issuers()) {
      out.add(refresh(issuer.statusListUrl()));
    }
    return out;
  }

  private Outcome refresh(String uri) throws InterruptedException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(uri))
                  .header("Accept", "application/statuslist+jwt")
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return new Outcome(uri, Optional.of("status-list.fetch: HTTP " + r.statusCode()));
      }
      cache.refresh(r.body());
      return new Outcome(uri, Optional.empty());
    } catch (IOException | IllegalArgumentException e) {
      return new Outcome(uri, Optional.of("status-list.fetch: " + e.getClass().getSimpleName()));
    } catch (SalusException e) {
      return new Outcome(uri, Optional.of(e.code()));
    }
  }
}
