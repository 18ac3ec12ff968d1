package org.salus.server.credential;

import com.nimbusds.jose.util.Base64URL;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login nonces a node hands out: random, single use, short-lived. A presentation whose key-binding
 * nonce was not issued here, was already used, or has expired is refused (replay protection, RFC
 * 9901 section 7.3).
 */
public final class Nonces {

  private static final int MAX_OUTSTANDING = 100_000;

  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random;
  private final Map<String, Instant> outstanding = new ConcurrentHashMap<>();

  public Nonces(Clock clock, Duration lifetime) {
    this(clock, lifetime, new SecureRandom());
  }

  Nonces(Clock clock, Duration lifetime, SecureRandom random) {
    this.clock = clock;
    this.lifetime = lifetime;
    this.random = random;
  }

  /** A fresh nonce, valid once within the lifetime. */
  public String issue() {
    Instant now = clock.instant();
    if (outstanding.size() >= MAX_OUTSTANDING) {
      outstanding.values().removeIf(expiry -> !now.isBefore(expiry));
    }
    byte[] b = new byte[24];
    random.nextBytes(b);
    String nonce = Base64URL.encode(b).toString();
    outstanding.put(nonce, now.plus(lifetime));
    return nonce;
  }

  /** Uses up {@code nonce}; true only the first time and only before it expires. */
  public boolean consume(String nonce) {
    Instant expiry = outstanding.remove(nonce);
    return expiry != null && clock.instant().isBefore(expiry);
  }
}
