package org.salus.core.trust;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a trust list whose signature already verified may replace the one held: not for another
 * federation, not older than the held one, not expired. Pure; the signature check is at the edge.
 */
public final class TrustListAdmission {

  private TrustListAdmission() {}

  /** The refusal, or empty if {@code offered} may be held from now on. */
  public static Optional<TrustListRefusal> check(
      TrustList offered, Optional<TrustList> held, Instant now) {
    if (!now.isBefore(offered.expires())) {
      return Optional.of(new TrustListRefusal.Expired(offered.expires(), now));
    }
    if (held.isPresent()) {
      TrustList h = held.get();
      if (!h.federationId().equals(offered.federationId())) {
        return Optional.of(
            new TrustListRefusal.WrongFederation(h.federationId(), offered.federationId()));
      }
      if (offered.version() < h.version()) {
        return Optional.of(new TrustListRefusal.Older(h.version(), offered.version()));
      }
    }
    return Optional.empty();
  }
}
