package org.salus.server.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nonces over a {@link NonceStore}: a second {@code Nonces} over the same store stands for the node
 * after a restart.
 */
class NoncesTest {

  private static final Duration LIFETIME = Duration.ofMinutes(5);

  private final StepClock clock = new StepClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final RecordingStore store = new RecordingStore();

  @Test
  void aNonceIssuedBeforeARestartIsStillKnownAndSingleUse() {
    String nonce = new Nonces(clock, LIFETIME, store).issue();
    Nonces restarted = new Nonces(clock, LIFETIME, store);
    assertThat(restarted.consume(nonce)).as("issued before the restart").isTrue();
    assertThat(restarted.consume(nonce)).as("used once already").isFalse();
    assertThat(new Nonces(clock, LIFETIME, store).consume(nonce))
        .as("after a second restart")
        .isFalse();
  }

  @Test
  void aNonceUsedBeforeARestartIsRefusedAfterIt() {
    Nonces before = new Nonces(clock, LIFETIME, store);
    String nonce = before.issue();
    assertThat(before.consume(nonce)).isTrue();
    assertThat(new Nonces(clock, LIFETIME, store).consume(nonce)).isFalse();
  }

  @Test
  void anInMemoryNodeForgetsItsNoncesOnRestart() {
    String nonce = new Nonces(clock, LIFETIME).issue();
    assertThat(new Nonces(clock, LIFETIME).consume(nonce)).isFalse();
  }

  @Test
  void aNonceExpiresAtTheEndOfItsLifetime() {
    Nonces nonces = new Nonces(clock, LIFETIME, store);
    String late = nonces.issue();
    String onTime = nonces.issue();
    clock.advance(LIFETIME.minusMillis(1));
    assertThat(nonces.consume(onTime)).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(nonces.consume(late)).as("at its expiry").isFalse();
  }

  @Test
  void aNonceNeverIssuedIsRefused() {
    Nonces nonces = new Nonces(clock, LIFETIME, store);
    nonces.issue();
    assertThat(nonces.consume("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isFalse();
    assertThat(nonces.consume("")).isFalse();
  }

  @Test
  void theStoreHoldsDigestsNotNonces() {
    String nonce = new Nonces(clock, LIFETIME, store).issue();
    assertThat(store.keys).hasSize(1).doesNotContainKey(nonce);
    assertThat(store.keys).containsKey(Nonces.digest(nonce));
  }

  @Test
  void expiredNoncesArePurgedAtStartAndWhileIssuing() {
    Nonces nonces = new Nonces(clock, LIFETIME, store);
    nonces.issue();
    nonces.issue();
    clock.advance(LIFETIME);
    new Nonces(clock, LIFETIME, store);
    assertThat(store.keys).as("purged when the node starts").isEmpty();

    nonces.issue();
    clock.advance(LIFETIME);
    nonces.issue();
    assertThat(store.keys).as("purged while issuing, once a minute has passed").hasSize(1);
    String fresh = nonces.issue();
    assertThat(nonces.consume(fresh)).isTrue();
  }

  @Test
  void aLifetimeMustBePositive() {
    assertThatThrownBy(() -> new Nonces(clock, Duration.ZERO, store))
        .hasMessageContaining("lifetime");
  }

  /** A store whose contents the test can see; single-threaded. */
  private static final class RecordingStore implements NonceStore {
    final Map<String, Instant> keys = new HashMap<>();

    @Override
    public void put(String key, Instant expiry) {
      keys.put(key, expiry);
    }

    @Override
    public boolean take(String key, Instant now) {
      Instant expiry = keys.remove(key);
      return expiry != null && now.isBefore(expiry);
    }

    @Override
    public int purgeExpired(Instant now) {
      int before = keys.size();
      keys.values().removeIf(e -> !now.isBefore(e));
      return before - keys.size();
    }
  }

  private static final class StepClock extends Clock {
    private Instant now;

    StepClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
