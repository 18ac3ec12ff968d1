package org.salus.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salus.core.trust.Role;
import org.salus.server.credential.StatusRef;
import org.salus.server.credential.VerifiedCredential;
import org.salus.server.trust.Ed25519Keys;

/** The access token carries the disclosed non-personal string claims, and only those. */
class AccessTokenClaimsTest {

  private final AccessTokens tokens =
      new AccessTokens(
          "node-a", Ed25519Keys.newSigningKey("node-a"), Clock.systemUTC(), Duration.ofMinutes(5));

  @Test
  void disclosedClaimsReachThePrincipalWithoutPersonalOnes() {
    VerifiedCredential patient =
        new VerifiedCredential(
            "dk-hospital",
            "p-1",
            Role.PATIENT,
            Map.of(
                "home_node", "node-a",
                "record_ref", "Patient/p-1",
                "birthdate", "1970-01-01",
                "family_name", "Jensen",
                "age", 56),
            new StatusRef("https://dk.example/status/1", 3));
    Principal p = verified(tokens.mint(patient).jwt());
    assertThat(p.claims())
        .containsOnly(Map.entry("home_node", "node-a"), Map.entry("record_ref", "Patient/p-1"));
    assertThat(p.claim("record_ref")).contains("Patient/p-1");
    assertThat(p.toString()).doesNotContain("Patient/p-1");
  }

  @Test
  void aTokenWithoutClaimsGivesAPrincipalWithoutClaims() {
    VerifiedCredential steward =
        new VerifiedCredential(
            "fed", "s-1", Role.STEWARD, Map.of(), new StatusRef("https://x/status/1", 1));
    assertThat(verified(tokens.mint(steward).jwt()).claims()).isEmpty();
  }

  private Principal verified(String jwt) {
    TokenVerdict v = tokens.verify(jwt);
    assertThat(v).isInstanceOf(TokenVerdict.Valid.class);
    return ((TokenVerdict.Valid) v).principal();
  }
}
