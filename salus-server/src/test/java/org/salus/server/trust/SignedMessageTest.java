package org.salus.server.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salus.core.error.SalusException;
import org.salus.server.fixture.TestFederation;

class SignedMessageTest {

  private final TestFederation fed = new TestFederation("fed-a");

  @Test
  void aMessageVerifiesAgainstTheSendersListedKey() {
    NodeKeys a = fed.admit("node-a");
    SignedMessage m =
        SignedMessage.sign("node-a", a.signingKey(), "study.approve", Map.of("study", "s1"));
    SignedMessage back = SignedMessage.verify(m.compact(), fed.operator.current());
    assertThat(back.sender()).isEqualTo("node-a");
    assertThat(back.kind()).isEqualTo("study.approve");
    assertThat(back.body()).containsEntry("study", "s1");
  }

  @Test
  void aMessageSignedWithAnotherNodesKeyUnderThisIdIsRefused() {
    fed.admit("node-a");
    NodeKeys b = fed.admit("node-b");
    SignedMessage forged =
        SignedMessage.sign("node-a", b.signingKey(), "study.approve", Map.of("study", "s1"));
    assertThatThrownBy(() -> SignedMessage.verify(forged.compact(), fed.operator.current()))
        .isInstanceOf(SalusException.class)
        .extracting(e -> ((SalusException) e).code())
        .isEqualTo("message.invalid");
  }

  @Test
  void aMessageFromAnUnlistedNodeIsRefused() {
    NodeKeys a = fed.admit("node-a");
    SignedMessage m = SignedMessage.sign("node-a", a.signingKey(), "k.x", Map.of());
    fed.operator.removeNode("node-a");
    assertThatThrownBy(() -> SignedMessage.verify(m.compact(), fed.operator.current()))
        .isInstanceOf(SalusException.class);
  }
}
