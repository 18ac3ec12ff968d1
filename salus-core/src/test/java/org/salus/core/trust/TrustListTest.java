package org.salus.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustListTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  static TrustedNodeEntry node(String id) {
    return new TrustedNodeEntry(
        id, "Node " + id, "NL", "https://" + id, "{}", "{}", "pem", Set.of());
  }

  @Test
  void eachChangeIncrementsTheVersion() {
    TrustList l0 = TrustList.empty("fed", T0, DAY);
    TrustList l1 = l0.withNode(node("a"), T0, DAY);
    TrustList l2 = l1.withoutNode("a", T0, DAY);
    assertThat(l1.version()).isEqualTo(1);
    assertThat(l2.version()).isEqualTo(2);
    assertThat(l2.node("a")).isEmpty();
  }

  @Test
  void issuerAcceptedOnlyByTheNamedNodes() {
    TrustedIssuer reg =
        new TrustedIssuer("big", "BIG", IssuerKind.PROFESSIONAL_REGISTER, "NL", "{}", "u");
    TrustList l =
        TrustList.empty("fed", T0, DAY)
            .withNode(node("a"), T0, DAY)
            .withNode(node("b"), T0, DAY)
            .withIssuer(reg, Set.of("a"), T0, DAY);
    assertThat(l.accepts("a", "big")).isTrue();
    assertThat(l.accepts("b", "big")).isFalse();
    assertThat(l.accepts("c", "big")).isFalse();
  }

  @Test
  void admissionRefusesOlderExpiredAndForeign() {
    TrustList held = TrustList.empty("fed", T0, DAY).withNode(node("a"), T0, DAY);
    TrustList older = TrustList.empty("fed", T0, DAY);
    assertThat(TrustListAdmission.check(older, Optional.of(held), T0))
        .containsInstanceOf(TrustListRefusal.Older.class);
    assertThat(TrustListAdmission.check(held, Optional.empty(), T0.plus(DAY)))
        .containsInstanceOf(TrustListRefusal.Expired.class);
    TrustList foreign = TrustList.empty("other", T0, DAY).withNode(node("a"), T0, DAY);
    assertThat(TrustListAdmission.check(foreign, Optional.of(held), T0))
        .containsInstanceOf(TrustListRefusal.WrongFederation.class);
    assertThat(TrustListAdmission.check(held, Optional.of(held), T0)).isEmpty();
  }

  @Test
  void routeTableRefusesUndeclaredHandlers() {
    RouteTable t =
        RouteTable.of(
            java.util.List.of(
                new RouteDeclaration(
                    "GET", "/status", RouteAccess.restricted(Set.of(Role.STEWARD)), "health")));
    assertThatThrownBy(() -> t.requireDeclared(Set.of("GET /status", "GET /secret")))
        .hasMessageContaining("GET /secret");
    assertThatThrownBy(() -> t.requireDeclared(Set.of())).hasMessageContaining("GET /status");
    t.requireDeclared(Set.of("GET /status"));
  }
}
