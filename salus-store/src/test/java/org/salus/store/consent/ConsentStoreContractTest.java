package org.salus.store.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salus.core.consent.ConsentException;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.DefaultRule;
import org.salus.core.consent.NodeDefaults;
import org.salus.core.consent.Provision;
import org.salus.core.consent.Purpose;
import org.salus.core.keys.SecretBytes;
import org.salus.store.Database;
import org.salus.store.StoreException;

/**
 * What {@link ConsentStore} promises, on every database. Documents here are {@code "<permit|deny>
 * <PURPOSE>"} read by a small decoder, so the store is tested without a FHIR library.
 */
abstract class ConsentStoreContractTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

  /** "permit HRESCH" is a consent permitting research; anything else is refused. */
  static final ConsentDecoder DECODER =
      doc -> {
        String[] w = doc.split(" ");
        if (w.length != 2) {
          throw new ConsentException("consent.test.invalid", "not a test consent");
        }
        Provision.Builder b =
            switch (w[0]) {
              case "permit" -> Provision.permit();
              case "deny" -> Provision.deny();
              default -> throw new ConsentException("consent.test.invalid", "bad type");
            };
        return b.purposes(Purpose.valueOf(w[1])).build();
      };

  abstract Database newDatabase() throws Exception;

  abstract void dropDatabase() throws Exception;

  private Database database;
  private SecretBytes key;
  private ConsentStore store;

  @BeforeEach
  void open() throws Exception {
    database = newDatabase();
    key = SecretBytes.random(32, new SecureRandom());
    store = ConsentStore.open(database, key, DECODER);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    dropDatabase();
  }

  @Test
  void aPersonWithoutConsentHasAnEmptyHistory() {
    ConsentHistory h = store.history("p1");
    assertThat(h.patient()).isEqualTo("p1");
    assertThat(h.versions()).isEmpty();
  }

  @Test
  void appendNumbersVersionsAndHistoryReplaysThem() {
    ConsentVersion v1 = store.append("p1", "permit HRESCH", T0);
    ConsentVersion v2 = store.append("p1", "deny HRESCH", T0.plusSeconds(60));
    store.append("p2", "permit TREAT", T0);

    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    ConsentHistory h = store.history("p1");
    assertThat(h.versions()).containsExactly(v1, v2);
    assertThat(h.versions().get(0).hash()).isEqualTo(v1.hash());
    assertThat(h.versions().get(0).recordedAt()).isEqualTo("2026-03-01T10:00:00.123456Z");
    assertThat(h.asOf(T0.plusSeconds(30))).contains(v1);
    assertThat(h.current()).contains(v2);
    assertThat(store.document("p1", 2)).contains("deny HRESCH");
    assertThat(store.document("p1", 3)).isEmpty();
  }

  @Test
  void historiesLoadsManyPersonsInTheOrderGiven() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < ConsentStore.CHUNK * 2 + 7; i++) {
      keys.add("person-" + i);
    }
    store.append("person-3", "permit HRESCH", T0);
    store.append("person-3", "deny HRESCH", T0.plusSeconds(1));
    store.append("person-1006", "permit HRESCH", T0);

    Map<String, ConsentHistory> all = store.histories(keys);

    assertThat(all.keySet()).containsExactlyElementsOf(keys);
    assertThat(all.get("person-3").versions()).hasSize(2);
    assertThat(all.get("person-1006").versions()).hasSize(1);
    assertThat(all.get("person-0").versions()).isEmpty();
    assertThat(all.get("person-3")).usingRecursiveComparison().isEqualTo(store.history("person-3"));
  }

  @Test
  void aVersionBeforeTheNewestIsRefusedAndNothingIsStored() {
    store.append("p1", "permit HRESCH", T0);

    assertThatThrownBy(() -> store.append("p1", "deny HRESCH", T0.minusSeconds(1)))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("predates");
    assertThat(store.history("p1").versions()).hasSize(1);
  }

  @Test
  void anUndecodableDocumentIsRefusedAndNothingIsStored() {
    assertThatThrownBy(() -> store.append("p1", "nonsense", T0))
        .isInstanceOf(ConsentException.class);
    assertThat(store.history("p1").versions()).isEmpty();
  }

  @Test
  void aCiphertextMovedToAnotherVersionDoesNotDecrypt() throws Exception {
    store.append("p1", "permit HRESCH", T0);
    store.append("p1", "permit HRESCH", T0.plusSeconds(1));
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE consent_version SET nonce = (SELECT nonce FROM consent_version WHERE version ="
              + " 1), ciphertext = (SELECT ciphertext FROM consent_version WHERE version = 1)"
              + " WHERE version = 2");
    }

    assertThatThrownBy(() -> store.history("p1"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("did not decrypt")
        .hasMessageNotContaining("p1");
  }

  @Test
  void anAlteredSnapshotHashIsDetected() throws Exception {
    store.append("p1", "permit HRESCH", T0);
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE consent_version SET snapshot_hash = 'sha256:00'");
    }

    assertThatThrownBy(() -> store.history("p1"))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo("consent.store.integrity");
  }

  @Test
  void defaultsAreOptInUntilTheStewardSavesSome() {
    NodeDefaults none = store.defaults();
    assertThat(none.jurisdiction()).isEqualTo("unspecified");
    assertThat(none.ruleFor(Purpose.HRESCH)).isEqualTo(DefaultRule.OPT_IN);

    NodeDefaults dk = NodeDefaults.of("DK", Map.of(Purpose.HRESCH, DefaultRule.OPT_OUT));
    store.saveDefaults(dk, T0);
    store.saveDefaults(dk, T0.plusSeconds(1));

    NodeDefaults loaded = store.defaults();
    assertThat(loaded.jurisdiction()).isEqualTo("DK");
    assertThat(loaded.ruleFor(Purpose.HRESCH)).isEqualTo(DefaultRule.OPT_OUT);
    assertThat(loaded.ruleFor(Purpose.TREAT)).isEqualTo(DefaultRule.OPT_IN);
    assertThat(loaded.hash()).isEqualTo(dk.hash());
  }
}
