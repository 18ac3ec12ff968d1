package org.salus.server.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salus.core.trust.Role;
import org.salus.server.fixture.TestFederation;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.TrustListHolder;
import org.salus.server.trust.TrustListVerifier;

class CredentialRoundTripTest {

  private final TestFederation fed = new TestFederation("fed-a");
  private final OctetKeyPair holderKey = Ed25519Keys.newSigningKey("holder");
  private final CredentialHolder holder = new CredentialHolder(holderKey);
  private final Clock clock = Clock.systemUTC();
  private final Nonces nonces = new Nonces(clock, Duration.ofMinutes(5));
  private final CredentialVerifier verifier;
  private final StatusListCache status;
  private final String clinician;

  CredentialRoundTripTest() {
    fed.admit("node-a");
    fed.admit("node-b");
    fed.addIssuer("node-a");
    TrustListHolder trust =
        TrustListHolder.load(
            new TrustListVerifier(fed.operator.operatorPublicKey()),
            fed.operator.signedTrustList(),
            clock);
    status = new StatusListCache(trust, clock);
    status.refresh(fed.statusList());
    verifier = new CredentialVerifier("node-a", trust, status, nonces, clock);
    clinician =
        fed.issuer()
            .issue(
                Role.CLINICIAN,
                "clin-7",
                Map.of(
                    "profession", "physician",
                    "licence_number", "BIG-123",
                    "country", "NL",
                    "birthdate", "1980-02-03"),
                holderKey.toPublicJWK(),
                7,
                Duration.ofDays(365));
  }

  private String present(String audience, Set<String> reveal) {
    return holder.present(clinician, reveal, nonces.issue(), audience, Instant.now());
  }

  @Test
  void aClinicianShowsProfessionAndCountryButNotTheBirthDate() {
    PresentationVerdict v = verifier.verify(present("node-a", Set.of("profession", "country")));
    assertThat(v).isInstanceOf(PresentationVerdict.Verified.class);
    VerifiedCredential c = ((PresentationVerdict.Verified) v).credential();
    assertThat(c.role()).isEqualTo(Role.CLINICIAN);
    assertThat(c.disclosed())
        .containsEntry("profession", "physician")
        .containsEntry("country", "NL")
        .doesNotContainKeys("birthdate", "licence_number");
    assertThat(c.toString()).doesNotContain("physician");
  }

  @Test
  void aReplayedPresentationIsRefused() {
    String p = present("node-a", Set.of("profession"));
    assertThat(verifier.verify(p)).isInstanceOf(PresentationVerdict.Verified.class);
    assertThat(verifier.verify(p))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.NONCE_REFUSED));
  }

  @Test
  void aNonceThisNodeNeverIssuedIsRefused() {
    String p = holder.present(clinician, Set.of(), "made-up", "node-a", Instant.now());
    assertThat(verifier.verify(p))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.NONCE_REFUSED));
  }

  @Test
  void aPresentationForAnotherNodeIsRefused() {
    assertThat(verifier.verify(present("node-b", Set.of())))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.WRONG_AUDIENCE));
  }

  @Test
  void anOldKeyBindingIsRefused() {
    String p =
        holder.present(
            clinician, Set.of(), nonces.issue(), "node-a", Instant.now().minusSeconds(3600));
    assertThat(verifier.verify(p))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.STALE_KEY_BINDING));
  }

  @Test
  void aPresentationWithoutKeyBindingIsRefused() {
    assertThat(verifier.verify(clinician))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.MALFORMED));
  }

  @Test
  void aKeyBindingByAnotherKeyIsRefused() {
    CredentialHolder thief = new CredentialHolder(Ed25519Keys.newSigningKey("thief"));
    String p = thief.present(clinician, Set.of(), nonces.issue(), "node-a", Instant.now());
    assertThat(verifier.verify(p))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.BAD_KEY_BINDING));
  }

  @Test
  void anAddedDisclosureBreaksTheKeyBindingHash() {
    String p = present("node-a", Set.of("profession"));
    int kb = p.lastIndexOf('~');
    String forged =
        p.substring(0, kb + 1)
            + new com.authlete.sd.Disclosure("profession", "surgeon").getDisclosure()
            + "~"
            + p.substring(kb + 1);
    assertThat(verifier.verify(forged)).isInstanceOf(PresentationVerdict.Refused.class);
  }

  @Test
  void aCredentialFromAnIssuerThisNodeDoesNotAcceptIsRefused() {
    CredentialIssuer rogue =
        new CredentialIssuer(
            "rogue", Ed25519Keys.newSigningKey("rogue"), TestFederation.STATUS_URL, clock);
    String cred =
        rogue.issue(
            Role.STEWARD,
            "x",
            Map.of("node", "node-a"),
            holderKey.toPublicJWK(),
            1,
            Duration.ofDays(1));
    String p = holder.present(cred, Set.of("node"), nonces.issue(), "node-a", Instant.now());
    assertThat(verifier.verify(p))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.ISSUER_NOT_ACCEPTED));
  }

  @Test
  void aRevokedCredentialIsRefusedFromTheNextStatusRefreshOn() {
    assertThat(verifier.verify(present("node-a", Set.of())))
        .isInstanceOf(PresentationVerdict.Verified.class);
    fed.revoke(7);
    assertThat(verifier.verify(present("node-a", Set.of())))
        .as("before refresh the old list still holds")
        .isInstanceOf(PresentationVerdict.Verified.class);
    status.refresh(fed.statusList());
    assertThat(verifier.verify(present("node-a", Set.of())))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.REVOKED));
  }

  @Test
  void anExpiredCredentialIsRefused() {
    String old =
        new CredentialIssuer(
                TestFederation.ISSUER,
                fed.issuerKey,
                TestFederation.STATUS_URL,
                Clock.offset(clock, Duration.ofDays(-10)))
            .issue(
                Role.RESEARCHER,
                "r",
                Map.of("institution", "UMC"),
                holderKey.toPublicJWK(),
                3,
                Duration.ofDays(1));
    String p = holder.present(old, Set.of(), nonces.issue(), "node-a", Instant.now());
    assertThat(verifier.verify(p))
        .isEqualTo(new PresentationVerdict.Refused(CredentialRefusal.EXPIRED));
  }
}
