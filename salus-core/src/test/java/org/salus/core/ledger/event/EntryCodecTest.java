package org.salus.core.ledger.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.salus.core.error.SalusException;
import org.salus.core.keys.SecretBytes;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.TreeHasher;

class EntryCodecTest {

  static final SecureRandom RANDOM = new SecureRandom();

  static List<LedgerEvent> oneOfEach(EventContext c, String id) {
    Hash h = TreeHasher.leafHash(id.getBytes(StandardCharsets.UTF_8));
    return List.of(
        new LedgerEvent.RecordAccess(c),
        new LedgerEvent.Search(c),
        new LedgerEvent.Summary(c),
        new LedgerEvent.WriteBack(c),
        new LedgerEvent.ConsentChange(c, h),
        new LedgerEvent.Grant(c, id),
        new LedgerEvent.Revocation(c, id),
        new LedgerEvent.BreakGlassStart(c, id),
        new LedgerEvent.BreakGlassEnd(c, id),
        new LedgerEvent.StudyApproval(c, id),
        new LedgerEvent.StudyRejection(c, id),
        new LedgerEvent.StudyContribution(c, id, h),
        new LedgerEvent.BudgetCharge(c, id, 0.5, 1e-6),
        new LedgerEvent.KeyRotation(c, id),
        new LedgerEvent.TrustListChange(c, h));
  }

  static EventContext context(long seconds, String actor, boolean subject, String purpose) {
    SubjectSalt salt = SubjectSalt.random(RANDOM);
    return new EventContext(
        Instant.ofEpochSecond(seconds, 123),
        ActorId.ofCredential(actor),
        subject ? Optional.of(salt.subjectOf("person-1")) : Optional.empty(),
        purpose,
        List.of("medication", "condition", "medication"),
        subject ? Optional.of(TreeHasher.emptyRoot()) : Optional.empty());
  }

  @Property(tries = 100)
  void everyEventRoundTripsAndOnlyItsOwnBytesDecode(
      @ForAll @IntRange(min = 0, max = 2_000_000_000) int seconds,
      @ForAll @StringLength(max = 40) String actor,
      @ForAll boolean subject,
      @ForAll @StringLength(max = 30) String purpose,
      @ForAll @StringLength(max = 30) String id) {
    for (LedgerEvent e : oneOfEach(context(seconds, actor, subject, purpose), id)) {
      byte[] bytes = EntryCodec.encode(e);
      assertThat(EntryCodec.decode(bytes)).isEqualTo(e);
      assertThatThrownBy(() -> EntryCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)))
          .isInstanceOf(SalusException.class);
      assertThatThrownBy(() -> EntryCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
          .isInstanceOf(SalusException.class);
    }
  }

  @Test
  void everyTypeHasItsOwnTag() {
    var tags =
        oneOfEach(context(1, "a", true, "care"), "x").stream()
            .map(e -> EntryCodec.encode(e)[1])
            .distinct()
            .count();
    assertThat(tags).isEqualTo(15);
  }

  @Test
  void entriesHoldNoIdentifierAndErasingTheSaltUnlinks() {
    SubjectSalt salt = SubjectSalt.of(SecretBytes.random(32, RANDOM));
    SubjectId subject = salt.subjectOf("person-key-123");
    EventContext c =
        new EventContext(
            Instant.EPOCH,
            ActorId.ofCredential("dr-who@hospital"),
            Optional.of(subject),
            "care",
            List.of(),
            Optional.empty());
    String bytes =
        new String(EntryCodec.encode(new LedgerEvent.RecordAccess(c)), StandardCharsets.ISO_8859_1);

    assertThat(bytes).doesNotContain("person-key-123").doesNotContain("dr-who");
    // With the salt one can link the entry to the patient; a new salt (after erasure) cannot.
    assertThat(salt.subjectOf("person-key-123")).isEqualTo(subject);
    assertThat(SubjectSalt.random(RANDOM).subjectOf("person-key-123")).isNotEqualTo(subject);
    assertThat(salt.toString()).contains("redacted");
  }
}
