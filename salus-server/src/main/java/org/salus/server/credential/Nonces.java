package org.salus.server.credential;

import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Login nonces a node hands out: random, single use, short-lived. A presentation whose key-binding
 * nonce was not issued here, was already used, or has expired is refused (replay protection, RFC
 * 9901 section 7.3). Issued nonces are kept in a {@link NonceStore}; with a durable store they stay
 * single-use across restarts. The store holds only a SHA-256 digest of each nonce, so a copy of it
 * hands out no usable nonce. Expired nonces are purged when the node starts and then at most once
 * per {@link #PURGE_EVERY} as nonces are issued.
 */
public final class Nonces {

  /** How often, at most, issuing a nonce also purges the expired ones. */
  public static final Duration PURGE_EVERY = Duration.ofMinutes(1);

  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random;
  private final NonceStore store;
  private final AtomicReference<Instant> nextPurge;

  /** Nonces kept in memory only (lost on restart). */
  public Nonces(Clock clock, Duration lifetime) {
    this(clock, lifetime, NonceStore.inMemory());
  }

  /** Nonces kept in {@code store}; purges the store's expired nonces now. */
  public Nonces(Clock clock, Duration lifetime, NonceStore store) {
    this(clock, lifetime, store, new SecureRandom());
  }

  Nonces(Clock clock, Duration lifetime, NonceStore store, SecureRandom random) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("nonce lifetime must be positive, was " + lifetime);
    }
    this.clock = clock;
    this.lifetime = lifetime;
    this.random = random;
    this.store = store;
    Instant now = clock.instant();
    store.purgeExpired(now);
    this.nextPurge = new AtomicReference<>(now.plus(PURGE_EVERY));
  }

  /** A fresh nonce, valid once within the lifetime. */
  public String issue() {
    Instant now = clock.instant();
    Instant due = nextPurge.get();
    if (!now.isBefore(due) && nextPurge.compareAndSet(due, now.plus(PURGE_EVERY))) {
      store.purgeExpired(now);
    }
    byte[] b = new byte[24];
    random.nextBytes(b);
    String nonce = Base64URL.encode(b).toString();
    store.put(digest(nonce), now.plus(lifetime));
    return nonce;
  }

  /** Uses up {@code nonce}; true only the first time and only before it expires. */
  public boolean consume(String nonce) {
    return store.take(digest(nonce), clock.instant());
  }

  /** The key a nonce is stored under: base64url SHA-256 of its text. */
  static String digest(String nonce) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8));
      return Base64URL.encode(h).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
