package org.salus.server.credential;

import java.time.Instant;

/**
 * Where a node keeps the login nonces it has issued until each is used or expires. A node that
 * keeps them in its database ({@code salus node start}) refuses a nonce used before a restart and
 * still accepts one issued before it; {@link #inMemory()} forgets both on restart (tests, nodes
 * without a store).
 *
 * <p>Keys are opaque strings ({@link Nonces} hands over a digest of each nonce, not the nonce).
 * {@link #take} must be atomic: of two concurrent takes of one key, at most one returns true.
 */
public interface NonceStore {

  /** Records a freshly issued key, usable until {@code expiry} (exclusive). */
  void put(String key, Instant expiry);

  /**
   * Removes {@code key}; true only when it was recorded, not taken before, and {@code now} is
   * before its expiry.
   */
  boolean take(String key, Instant now);

  /** Removes every key whose expiry is at or before {@code now}; returns how many. */
  int purgeExpired(Instant now);

  /** A store in this process's memory, lost on restart. */
  static NonceStore inMemory() {
    return new InMemoryNonceStore();
  }
}
