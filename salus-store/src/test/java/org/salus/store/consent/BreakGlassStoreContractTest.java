package org.salus.store.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salus.core.keys.SecretBytes;
import org.salus.store.Database;
import org.salus.store.StoreException;
import org.salus.store.consent.BreakGlassStore.EndedBy;
import org.salus.store.consent.BreakGlassStore.Outcome;
import org.salus.store.consent.BreakGlassStore.Review;
import org.salus.store.consent.BreakGlassStore.Session;

/** What {@link BreakGlassStore} promises, on every database. */
abstract class BreakGlassStoreContractTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
  static final String REASON = "unconscious on arrival, suspected overdose";

  abstract Database newDatabase() throws Exception;

  abstract void dropDatabase() throws Exception;

  private Database database;
  private SecretBytes key;
  private BreakGlassStore store;

  @BeforeEach
  void open() throws Exception {
    database = newDatabase();
    key = SecretBytes.random(32, new SecureRandom());
    store = BreakGlassStore.open(database, key);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    dropDatabase();
  }

  static Session session(String id, Instant start) {
    return Session.opened(
        id,
        "es-register",
        "emergency-1",
        "Practitioner/emergency-1",
        "person-7",
        List.of("allergies", "problems"),
        List.of("PSY", "ETH"),
        start,
        start.plus(Duration.ofHours(4)),
        REASON);
  }

  @Test
  void anAccessOutlivesTheStoreAndEndsOnce() {
    store.opened(session("s1", T0));
    store.opened(session("s2", T0.plusSeconds(60)));
    store.close();
    store = BreakGlassStore.open(database, key);

    assertThat(store.open()).extracting(Session::id).containsExactly("s1", "s2");
    Session s1 = store.find("s1").orElseThrow();
    assertThat(s1.reason()).isEqualTo(REASON);
    assertThat(s1.started()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z"));
    assertThat(s1.expires()).isEqualTo(s1.started().plus(Duration.ofHours(4)));
    assertThat(s1.classes()).containsExactly("allergies", "problems");
    assertThat(s1.hiddenLabels()).containsExactly("PSY", "ETH");

    assertThat(store.ended("s1", T0.plusSeconds(600), EndedBy.CLINICIAN)).isTrue();
    assertThat(store.ended("s1", T0.plusSeconds(900), EndedBy.TIME_LIMIT))
        .as("an access ends once")
        .isFalse();
    assertThat(store.ended("nope", T0, EndedBy.TIME_LIMIT)).isFalse();
    assertThat(store.open()).extracting(Session::id).containsExactly("s2");
    Session ended = store.find("s1").orElseThrow();
    assertThat(ended.endedBy()).contains(EndedBy.CLINICIAN);
    assertThat(ended.ended()).contains(Instant.parse("2026-03-01T10:10:00.123456Z"));
    assertThat(store.ended("s2", T0.plusSeconds(60 + 4 * 3600), EndedBy.RESTART_RECOVERY)).isTrue();
    assertThat(store.find("s2").orElseThrow().endedBy()).contains(EndedBy.RESTART_RECOVERY);
  }

  @Test
  void aReviewIsRecordedOnceWithItsNote() {
    store.opened(session("s1", T0));
    Review r = new Review("dk-hospital/steward-1", T0.plusSeconds(7200), Outcome.UNJUSTIFIED, "no");
    assertThat(store.reviewed("s1", r)).isTrue();
    assertThat(
            store.reviewed(
                "s1", new Review("dk-hospital/steward-2", T0, Outcome.JUSTIFIED, "changed mind")))
        .as("reviewed once")
        .isFalse();
    assertThat(store.reviewed("nope", r)).isFalse();
    assertThat(store.find("s1").orElseThrow().review()).contains(r);
    assertThat(store.all()).hasSize(1);
  }

  @Test
  void theReasonIsEncryptedAndBoundToItsSession() throws Exception {
    store.opened(session("s1", T0));
    store.opened(session("s2", T0));
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT * FROM break_glass_session")) {
        while (rs.next()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            Object v = rs.getObject(i);
            String text = v instanceof byte[] b ? new String(b, "ISO-8859-1") : String.valueOf(v);
            assertThat(text).doesNotContain("overdose");
          }
        }
      }
      // s2's ciphertext moved to s1 does not decrypt there.
      byte[] nonce;
      byte[] ciphertext;
      try (ResultSet rs =
          s.executeQuery(
              "SELECT reason_nonce, reason_ciphertext FROM break_glass_session"
                  + " WHERE session_id = 's2'")) {
        assertThat(rs.next()).isTrue();
        nonce = rs.getBytes(1);
        ciphertext = rs.getBytes(2);
      }
      try (java.sql.PreparedStatement p =
          c.prepareStatement(
              "UPDATE break_glass_session SET reason_nonce = ?, reason_ciphertext = ?"
                  + " WHERE session_id = 's1'")) {
        p.setBytes(1, nonce);
        p.setBytes(2, ciphertext);
        assertThat(p.executeUpdate()).isEqualTo(1);
      }
    }
    assertThatThrownBy(() -> store.find("s1"))
        .isInstanceOf(StoreException.class)
        .hasFieldOrPropertyWithValue("code", "break-glass.store.integrity")
        .hasMessageNotContaining("overdose");
    assertThat(store.find("s2").orElseThrow().reason()).isEqualTo(REASON);
  }

  @Test
  void badSessionsAreRefusedNamingWhat() {
    assertThatThrownBy(
            () ->
                Session.opened(
                    "s1", "i", "s", "r", "p", List.of("problems"), List.of(), T0, T0, "why"))
        .hasMessageContaining("expires before it starts");
    assertThatThrownBy(
            () -> Session.opened("s1", "i", "s", "r", "p", List.of(), List.of(), T0, T0, "why"))
        .hasMessageContaining("reveals no data class");
    store.opened(session("s1", T0));
    assertThatThrownBy(() -> store.opened(session("s1", T0)))
        .hasFieldOrPropertyWithValue("code", "break-glass.store.write-failed");
  }
}
