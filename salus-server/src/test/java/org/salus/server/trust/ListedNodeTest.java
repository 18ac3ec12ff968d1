package org.salus.server.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.fixture.TestFederation;

/**
 * {@link NodeTls#listedNode}, which the guard asks on every request, remembers parsed certificates
 * but still reads the current trust list each time: a node listed with a new certificate is no
 * longer matched by its old one, and a removed node by none.
 */
class ListedNodeTest {

  @Test
  void theCurrentTrustListDecidesEveryCallThoughParsedCertificatesAreRemembered() {
    TestFederation fed = new TestFederation("fed-a");
    fed.admit("node-a");
    X509Certificate old = fed.admit("node-b").tlsCertificate();
    TrustListHolder trust =
        TrustListHolder.load(
            new TrustListVerifier(fed.operator.operatorPublicKey()),
            fed.operator.signedTrustList(),
            Clock.systemUTC());
    for (int call = 0; call < 2; call++) {
      assertThat(NodeTls.listedNode(old, trust).map(TrustedNodeEntry::id)).contains("node-b");
    }

    fed.operator.removeNode("node-b");
    X509Certificate fresh = fed.admit("node-b").tlsCertificate();
    assertThat(trust.refresh(fed.operator.signedTrustList()))
        .isInstanceOf(TrustListVerdict.Accepted.class);
    assertThat(NodeTls.listedNode(old, trust)).isEmpty();
    assertThat(NodeTls.listedNode(fresh, trust).map(TrustedNodeEntry::id)).contains("node-b");

    fed.operator.removeNode("node-b");
    assertThat(trust.refresh(fed.operator.signedTrustList()))
        .isInstanceOf(TrustListVerdict.Accepted.class);
    assertThat(NodeTls.listedNode(fresh, trust)).isEmpty();
    assertThat(NodeTls.listedNode(old, trust)).isEmpty();
  }
}
