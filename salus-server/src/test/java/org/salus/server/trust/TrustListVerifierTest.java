package org.salus.server.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustListRefusal;
import org.salus.server.fixture.TestFederation;

class TrustListVerifierTest {

  private final TestFederation fed = new TestFederation("fed-a");
  private final TrustListVerifier verifier =
      new TrustListVerifier(fed.operator.operatorPublicKey());

  @Test
  void acceptsTheOperatorsListAndReadsItBack() {
    fed.admit("node-a");
    fed.addIssuer("node-a");
    TrustListVerdict v = verifier.verify(fed.operator.signedTrustList(), Optional.empty(), now());
    assertThat(v).isInstanceOf(TrustListVerdict.Accepted.class);
    assertThat(((TrustListVerdict.Accepted) v).list()).isEqualTo(fed.operator.current());
  }

  @Test
  void refusesAListSignedByAnotherKey() {
    fed.admit("node-a");
    OctetKeyPair other = Ed25519Keys.newSigningKey("operator-fed-a");
    String forged = new TrustListSigner(other).sign(fed.operator.current());
    assertRefused(
        verifier.verify(forged, Optional.empty(), now()), TrustListRefusal.BadSignature.class);
  }

  @Test
  void refusesATamperedPayload() {
    fed.admit("node-a");
    String[] parts = fed.operator.signedTrustList().split("\\.");
    String otherPayload =
        new TrustListSigner(fed.operator.operatorKey())
            .sign(fed.operator.current().withoutNode("node-a", now(), Duration.ofDays(1)))
            .split("\\.")[1];
    String tampered = parts[0] + "." + otherPayload + "." + parts[2];
    assertRefused(
        verifier.verify(tampered, Optional.empty(), now()), TrustListRefusal.BadSignature.class);
  }

  @Test
  void refusesAnOlderVersionThanHeld() {
    String v1 = sign(fed, "node-a");
    TrustList held =
        ((TrustListVerdict.Accepted) verifier.verify(sign(fed, "node-b"), Optional.empty(), now()))
            .list();
    assertRefused(verifier.verify(v1, Optional.of(held), now()), TrustListRefusal.Older.class);
  }

  @Test
  void refusesAnExpiredList() {
    fed.admit("node-a");
    Instant later = now().plus(FederationOperator.LIST_VALIDITY).plusSeconds(1);
    assertRefused(
        verifier.verify(fed.operator.signedTrustList(), Optional.empty(), later),
        TrustListRefusal.Expired.class);
  }

  @Test
  void refusesGarbage() {
    assertRefused(
        verifier.verify("not-a-jws", Optional.empty(), now()), TrustListRefusal.Malformed.class);
  }

  @Test
  void holderKeepsTheNewerListAndIgnoresAnOlderOne() {
    String v1 = sign(fed, "node-a");
    String v2 = sign(fed, "node-b");
    TrustListHolder h = TrustListHolder.load(verifier, v2, Clock.fixed(now(), ZoneOffset.UTC));
    assertThat(h.refresh(v1)).isInstanceOf(TrustListVerdict.Refused.class);
    assertThat(h.current().version()).isEqualTo(2);
  }

  private static String sign(TestFederation f, String node) {
    f.admit(node);
    return f.operator.signedTrustList();
  }

  private static Instant now() {
    return Instant.now();
  }

  private static void assertRefused(TrustListVerdict v, Class<? extends TrustListRefusal> type) {
    assertThat(v).isInstanceOf(TrustListVerdict.Refused.class);
    assertThat(((TrustListVerdict.Refused) v).refusal()).isInstanceOf(type);
  }
}
