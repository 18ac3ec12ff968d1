package org.salus.fhir.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.salus.core.keys.SecretBytes;
import org.salus.core.pseudonym.Pseudonymizer;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.KnownRecords;

/** Node settings for tests: a pseudonymizer from a fixed, named secret. */
final class TestNodes {

  private TestNodes() {}

  static Pseudonymizer pseudonymizer(String secretName) {
    byte[] secret = Arrays.copyOf(secretName.getBytes(StandardCharsets.UTF_8), 32);
    secret[31] = 1;
    return new Pseudonymizer(SecretBytes.copyOf(secret));
  }

  static IngestContext context(String secretName) {
    return IngestContext.of(pseudonymizer(secretName), BirthPrecision.MONTH, KnownRecords.none());
  }
}
