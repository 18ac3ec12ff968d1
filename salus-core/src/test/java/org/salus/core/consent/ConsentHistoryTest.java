package org.salus.core.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsentHistoryTest {

  private static final Provision A = Provision.permit().purposes(Purpose.HRESCH).build();
  private static final Provision B = Provision.deny().purposes(Purpose.HRESCH).build();

  @Test
  void versionsAreNumberedAndAppendLeavesTheOldHistoryUnchanged() {
    ConsentHistory h1 = ConsentHistory.empty("p").append(A, Fixtures.day(0));
    ConsentHistory h2 = h1.append(B, Fixtures.day(1));
    assertThat(h1.versions()).hasSize(1);
    assertThat(h2.versions()).extracting(ConsentVersion::version).containsExactly(1, 2);
    assertThat(h2.current().orElseThrow().root()).isEqualTo(B);
  }

  @Test
  void asOfPicksTheNewestVersionRecordedAtOrBeforeTheInstant() {
    ConsentHistory h =
        ConsentHistory.empty("p").append(A, Fixtures.day(1)).append(B, Fixtures.day(3));
    assertThat(h.asOf(Fixtures.day(0))).isEmpty();
    assertThat(h.asOf(Fixtures.day(1)).orElseThrow().version()).isEqualTo(1);
    assertThat(h.asOf(Fixtures.day(2)).orElseThrow().version()).isEqualTo(1);
    assertThat(h.asOf(Fixtures.day(3)).orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void aVersionMayNotPredateTheNewest() {
    ConsentHistory h = ConsentHistory.empty("p").append(A, Fixtures.day(3));
    assertThatThrownBy(() -> h.append(B, Fixtures.day(2)))
        .isInstanceOfSatisfying(
            ConsentException.class,
            e -> assertThat(e.code()).isEqualTo("consent.history.out-of-order"));
  }

  @Test
  void theSnapshotHashIgnoresSetOrderButNotContent() {
    Provision p1 =
        Provision.deny().securityLabels(Set.of(SecurityLabel.PSY, SecurityLabel.MH)).build();
    Provision p2 =
        Provision.deny().securityLabels(Set.of(SecurityLabel.MH, SecurityLabel.PSY)).build();
    Provision p3 = Provision.deny().securityLabels(Set.of(SecurityLabel.MH)).build();
    assertThat(RandomConsents.version(p1).hash()).isEqualTo(RandomConsents.version(p2).hash());
    assertThat(RandomConsents.version(p1).hash()).isNotEqualTo(RandomConsents.version(p3).hash());
    assertThat(ConsentVersion.of("p", 2, Fixtures.day(0), p1).hash())
        .isNotEqualTo(ConsentVersion.of("p", 1, Fixtures.day(0), p1).hash());
  }

  @Test
  void snapshotHashesRoundTripThroughHex() {
    SnapshotHash h = RandomConsents.version(A).hash();
    assertThat(SnapshotHash.fromHex(h.hex())).isEqualTo(h);
    assertThat(h.toString()).startsWith("sha256:").hasSize(7 + 64);
  }

  @Test
  void intervalsRefuseToEndBeforeTheyStart() {
    assertThatThrownBy(() -> Interval.between(Fixtures.day(2), Fixtures.day(1)))
        .isInstanceOfSatisfying(
            ConsentException.class, e -> assertThat(e.code()).isEqualTo("consent.period.reversed"));
    assertThat(Interval.between(Fixtures.day(1), Fixtures.day(2)).contains(Fixtures.day(2)))
        .isFalse();
    assertThat(List.of(Fixtures.day(1)))
        .allMatch(Interval.between(Fixtures.day(1), Fixtures.day(2))::contains);
  }
}
