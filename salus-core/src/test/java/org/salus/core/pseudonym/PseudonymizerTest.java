package org.salus.core.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.salus.core.keys.SecretBytes;

class PseudonymizerTest {

  private static final SecretBytes SECRET_A =
      SecretBytes.copyOf("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final SecretBytes SECRET_B =
      SecretBytes.copyOf("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

  @Test
  void knownAnswerFromAnIndependentHmac() {
    // python3: hmac.new(b"0123456789abcdef0123456789abcdef", b"person\x00urn:mrn|42",
    //                   hashlib.sha256).hexdigest()
    assertThat(new Pseudonymizer(SECRET_A).personKey("urn:mrn|42"))
        .isEqualTo("6b4a6178e9dc0c4f1e67fab76a8b889d9ddea426f06a5c5124c395a146daceaf");
  }

  @Test
  void stableWithinANodeAndUnlinkableAcrossNodes() {
    Pseudonymizer a = new Pseudonymizer(SECRET_A);
    assertThat(a.personKey("urn:mrn|42")).isEqualTo(a.personKey("urn:mrn|42"));
    assertThat(a.personKey("urn:mrn|42")).isNotEqualTo(a.personKey("urn:mrn|43"));
    assertThat(a.personKey("urn:mrn|42"))
        .isNotEqualTo(new Pseudonymizer(SECRET_B).personKey("urn:mrn|42"));
  }

  @Test
  void personAndRecordKeysOfTheSameStringDiffer() {
    Pseudonymizer a = new Pseudonymizer(SECRET_A);
    assertThat(a.personKey("x")).isNotEqualTo(a.recordKey("x"));
  }

  @Test
  void refusesShortSecretsAndNeverPrintsTheKey() {
    assertThatThrownBy(() -> new Pseudonymizer(SecretBytes.copyOf(new byte[16])))
        .hasMessageContaining("at least 32 bytes, got 16");
    assertThat(SECRET_A.toString()).doesNotContain("0123");
    assertThat(new Pseudonymizer(SECRET_A).toString()).doesNotContain("0123");
  }
}
