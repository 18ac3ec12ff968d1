package org.salus.store.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salus.store.Database;
import org.salus.store.StoreException;

/**
 * What {@link StoredNonces} promises, on every database. A second store opened over the same
 * database stands for the node after a restart.
 */
abstract class StoredNoncesContractTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
  static final Instant EXPIRY = T0.plus(Duration.ofMinutes(5));

  abstract Database newDatabase() throws Exception;

  abstract void dropDatabase() throws Exception;

  private Database database;
  private final List<StoredNonces> opened = new ArrayList<>();

  @BeforeEach
  void create() throws Exception {
    database = newDatabase();
  }

  @AfterEach
  void drop() throws Exception {
    opened.forEach(StoredNonces::close);
    dropDatabase();
  }

  private StoredNonces open() {
    StoredNonces s = StoredNonces.open(database);
    opened.add(s);
    return s;
  }

  private StoredNonces restart(StoredNonces before) {
    before.close();
    opened.remove(before);
    return open();
  }

  @Test
  void aKeyIssuedBeforeARestartIsStillKnownAndSingleUse() {
    StoredNonces before = open();
    before.put("k1", EXPIRY);
    StoredNonces after = restart(before);
    assertThat(after.take("k1", T0)).as("issued before the restart").isTrue();
    assertThat(after.take("k1", T0)).as("taken once").isFalse();
    assertThat(restart(after).take("k1", T0)).as("after another restart").isFalse();
  }

  @Test
  void aKeyUsedBeforeARestartIsRefusedAfterIt() {
    StoredNonces before = open();
    before.put("k1", EXPIRY);
    before.put("k2", EXPIRY);
    assertThat(before.take("k1", T0)).isTrue();
    StoredNonces after = restart(before);
    assertThat(after.take("k1", T0)).as("used before the restart").isFalse();
    assertThat(after.take("k2", T0)).as("the other one is untouched").isTrue();
  }

  @Test
  void aKeyIsRefusedFromItsExpiryOn() {
    StoredNonces s = open();
    s.put("late", EXPIRY);
    s.put("on-time", EXPIRY);
    assertThat(s.take("on-time", EXPIRY.minusNanos(1000))).isTrue();
    assertThat(s.take("late", EXPIRY)).isFalse();
    assertThat(s.take("never-issued", T0)).isFalse();
    assertThat(s.take("", T0)).isFalse();
  }

  @Test
  void expiredKeysArePurgedAndOnlyThose() throws Exception {
    StoredNonces s = open();
    s.put("old-1", T0);
    s.put("old-2", T0.plusSeconds(1));
    s.put("fresh", EXPIRY);
    assertThat(s.purgeExpired(T0.plusSeconds(1))).isEqualTo(2);
    assertThat(rows()).isEqualTo(1);
    assertThat(s.purgeExpired(T0.plusSeconds(1))).isZero();
    assertThat(s.take("fresh", T0.plusSeconds(1))).isTrue();
    assertThat(rows()).isZero();
  }

  @Test
  void ofTwoStoresTakingOneKeyAtOnceOnlyOneSucceeds() throws Exception {
    StoredNonces a = open();
    StoredNonces b = open();
    int keys = 50;
    for (int i = 0; i < keys; i++) {
      a.put("key-" + i, EXPIRY);
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      int won = 0;
      for (int i = 0; i < keys; i++) {
        String key = "key-" + i;
        List<Future<Boolean>> both =
            pool.invokeAll(
                List.<Callable<Boolean>>of(() -> a.take(key, T0), () -> b.take(key, T0)));
        int wins = 0;
        for (Future<Boolean> f : both) {
          wins += f.get() ? 1 : 0;
        }
        assertThat(wins).as(key).isEqualTo(1);
        won += wins;
      }
      assertThat(won).isEqualTo(keys);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBadKeyIsRefusedByName() {
    StoredNonces s = open();
    assertThatThrownBy(() -> s.put("", EXPIRY))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("login-nonce key");
    assertThatThrownBy(() -> s.put("x".repeat(129), EXPIRY)).isInstanceOf(StoreException.class);
  }

  private long rows() throws Exception {
    try (Connection c = database.connect();
        Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT count(*) FROM login_nonce")) {
      r.next();
      return r.getLong(1);
    }
  }
}
