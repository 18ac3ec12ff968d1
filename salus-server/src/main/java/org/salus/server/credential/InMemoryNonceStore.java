package org.salus.server.credential;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link NonceStore#inMemory()}: a concurrent map, lost on restart. */
final class InMemoryNonceStore implements NonceStore {

  private final Map<String, Instant> outstanding = new ConcurrentHashMap<>();

  @Override
  public void put(String key, Instant expiry) {
    outstanding.put(key, expiry);
  }

  @Override
  public boolean take(String key, Instant now) {
    Instant expiry = outstanding.remove(key);
    return expiry != null && now.isBefore(expiry);
  }

  @Override
  public int purgeExpired(Instant now) {
    int before = outstanding.size();
    outstanding.values().removeIf(expiry -> !now.isBefore(expiry));
    return before - outstanding.size();
  }
}
