package org.salus.server.trust;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.salus.core.error.SalusException;
import org.salus.core.trust.TrustList;

/**
 * The trust list a node currently holds. {@link #refresh(String)} replaces it only when the offered
 * list verifies and is admissible; everything that checks peers or issuers reads {@link #current()}
 * each time, so a refresh takes effect on the next handshake or request.
 */
public final class TrustListHolder {

  private final TrustListVerifier verifier;
  private final Clock clock;
  private final AtomicReference<TrustList> current = new AtomicReference<>();
  private final AtomicReference<String> currentJws = new AtomicReference<>();

  private TrustListHolder(TrustListVerifier verifier, Clock clock) {
    this.verifier = verifier;
    this.clock = clock;
  }

  /** A holder initialised with {@code jws}; refuses to start on a bad list. */
  public static TrustListHolder load(TrustListVerifier verifier, String jws, Clock clock) {
    TrustListHolder h = new TrustListHolder(verifier, clock);
    if (h.refresh(jws) instanceof TrustListVerdict.Refused r) {
      throw new SalusException(r.refusal().code(), r.refusal().describe());
    }
    return h;
  }

  /** Offers a newer list; returns the verdict and holds the list when it is accepted. */
  public synchronized TrustListVerdict refresh(String jws) {
    TrustListVerdict v = verifier.verify(jws, Optional.ofNullable(current.get()), clock.instant());
    if (v instanceof TrustListVerdict.Accepted a) {
      current.set(a.list());
      currentJws.set(jws.strip());
    }
    return v;
  }

  public TrustList current() {
    return current.get();
  }

  /** The signed form of the current list, as published at {@code GET /trust-list}. */
  public String currentJws() {
    return currentJws.get();
  }

  /** Whether the current list has expired (nodes then refuse every peer until a refresh). */
  public boolean expired() {
    return !clock.instant().isBefore(current.get().expires());
  }
}
