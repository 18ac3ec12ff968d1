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
        new LedgerEvent.TrustListChange(c, h),
        new LedgerEvent.BreakGlassReview(c, id, true),
        new LedgerEvent.BreakGlassReview(c, id, false));
  }

  static EventContext context(long seconds, String actor, boolean subject, String purpose) {
    return context(seconds, actor, subject, purpose, Optional.empty());
  }

  static EventContext context(
      long seconds, String actor, boolean subject, String purpose, Optional<ActorProfile> p) {
    SubjectSalt salt = SubjectSalt.random(RANDOM);
    return new EventContext(
        Instant.ofEpochSecond(seconds, 123),
        ActorId.ofCredential(actor),
        subject ? Optional.of(salt.subjectOf("person-1")) : Optional.empty(),
        purpose,
        List.of("medication", "condition", "medication"),
        subject ? Optional.of(TreeHasher.emptyRoot()) : Optional.empty(),
        p);
  }

  @Property(tries = 100)
  void everyEventRoundTripsAndOnlyItsOwnBytesDecode(
      @ForAll @IntRange(min = 0, max = 2_000_000_000) int seconds,
      @ForAll @StringLength(max = 40) String actor,
      @ForAll boolean subject,
      @ForAll @StringLength(max = 30) String purpose,
      @ForAll @StringLength(max = 30) String id,
      @ForAll boolean profiled,
      @ForAll @StringLength(max = 20) String country) {
    Optional<ActorProfile> profile =
        profiled
            ? Optional.of(new ActorProfile("clinician", "es-register", actor, country))
            : Optional.empty();
    for (LedgerEvent e : oneOfEach(context(seconds, actor, subject, purpose, profile), id)) {
      byte[] bytes = EntryCodec.encode(e);
      assertThat(bytes[0])
          .as("the version byte says whether a profile follows")
          .isEqualTo((byte) (profiled ? 2 : 1));
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
    assertThat(tags).isEqualTo(16);
  }

  /** The verifier finds rotations by their type byte alone: exactly the KeyRotation entries. */
  @Test
  void onlyKeyRotationEntriesAreTakenForRotations() {
    for (boolean profile : List.of(false, true)) {
      EventContext c =
          context(
              1,
              "a",
              false,
              "care",
              profile
                  ? Optional.of(new ActorProfile("steward", "issuer", "inst", "NL"))
                  : Optional.empty());
      for (LedgerEvent e : oneOfEach(c, "x")) {
        assertThat(EntryCodec.isKeyRotation(EntryCodec.encode(e)))
            .as(e.getClass().getSimpleName())
            .isEqualTo(e instanceof LedgerEvent.KeyRotation);
      }
    }
    assertThat(EntryCodec.isKeyRotation(new byte[] {1})).isFalse();
    assertThat(EntryCodec.isKeyRotation(new byte[] {9, 13})).isFalse();
    assertThat(EntryCodec.isKeyRotation(new byte[] {2, 13})).isTrue();
  }

  /** A review's outcome is one byte, 0 or 1, after the session id; any other byte is refused. */
  @Test
  void aBreakGlassReviewHasOneEncodingPerOutcome() {
    EventContext c = context(1, "a", true, "ETREAT");
    byte[] justified = EntryCodec.encode(new LedgerEvent.BreakGlassReview(c, "s-1", true));
    byte[] unjustified = EntryCodec.encode(new LedgerEvent.BreakGlassReview(c, "s-1", false));
    assertThat(justified[1]).as("the new tag comes after every existing one").isEqualTo((byte) 16);
    assertThat(justified[justified.length - 1]).isEqualTo((byte) 1);
    assertThat(unjustified[unjustified.length - 1]).isEqualTo((byte) 0);
    assertThat(Arrays.copyOf(justified, justified.length - 1))
        .isEqualTo(Arrays.copyOf(unjustified, unjustified.length - 1));
    byte[] two = justified.clone();
    two[two.length - 1] = 2;
    assertThatThrownBy(() -> EntryCodec.decode(two))
        .isInstanceOf(SalusException.class)
        .hasMessageContaining("outcome is 0 or 1, got 2");
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

  /**
   * A version 1 entry, laid out byte by byte as nodes wrote it before the actor profile existed: it
   * still decodes, to a context without a profile, and encodes back to the same bytes (so its leaf
   * hash, and every tree over it, is unchanged).
   */
  @Test
  void aVersion1EntryStillDecodesAndReencodesToTheSameBytes() {
    Hash actor = ActorId.ofCredential("es-register/clinician-1").hash();
    String hex =
        "01" // version 1
            + "03" // Summary
            + "0000000065920080" // 2024-01-01T00:00:00Z
            + "00000007" // nanos
            + actor.hex()
            + "00" // no subject
            + "0005"
            + hex("TREAT")
            + "0002"
            + "0009"
            + hex("allergies")
            + "0007"
            + hex("results")
            + "00"; // no request hash
    byte[] bytes = java.util.HexFormat.of().parseHex(hex);

    LedgerEvent e = EntryCodec.decode(bytes);

    assertThat(e).isInstanceOf(LedgerEvent.Summary.class);
    assertThat(e.context().time()).isEqualTo(Instant.parse("2024-01-01T00:00:00.000000007Z"));
    assertThat(e.context().actor().hash()).isEqualTo(actor);
    assertThat(e.context().classes()).containsExactly("allergies", "results");
    assertThat(e.context().actorProfile()).isEmpty();
    assertThat(EntryCodec.encode(e)).isEqualTo(bytes);
  }

  @Test
  void aVersion2EntryCarriesTheProfileAfterTheContext() {
    EventContext c =
        new EventContext(
            Instant.EPOCH,
            ActorId.ofCredential("es-register/clinician-1"),
            Optional.empty(),
            "TREAT",
            List.of("results"),
            Optional.empty(),
            Optional.of(new ActorProfile("clinician", "es-register", "", "ES")));
    byte[] v2 = EntryCodec.encode(new LedgerEvent.Search(c));
    byte[] v1 =
        EntryCodec.encode(
            new LedgerEvent.Search(
                new EventContext(
                    c.time(), c.actor(), c.subject(), c.purpose(), c.classes(), c.requestHash())));
    String profile =
        "0009" + hex("clinician") + "000b" + hex("es-register") + "0000" + "0002" + hex("ES");

    assertThat(v2[0]).isEqualTo((byte) 2);
    assertThat(java.util.HexFormat.of().formatHex(v2))
        .isEqualTo("02" + java.util.HexFormat.of().formatHex(v1).substring(2) + profile);
    // A version 1 entry with a profile's bytes appended is refused, and so is a version 2 entry
    // without them, or with a blank role, or an unknown version.
    byte[] v1WithProfile = v2.clone();
    v1WithProfile[0] = 1;
    assertThatThrownBy(() -> EntryCodec.decode(v1WithProfile))
        .isInstanceOf(SalusException.class)
        .hasMessageContaining("after the entry");
    byte[] v2WithoutProfile = v1.clone();
    v2WithoutProfile[0] = 2;
    assertThatThrownBy(() -> EntryCodec.decode(v2WithoutProfile))
        .isInstanceOf(SalusException.class)
        .hasMessageContaining("ends early");
    byte[] blankRole =
        java.util.HexFormat.of()
            .parseHex(
                "02"
                    + java.util.HexFormat.of().formatHex(v1).substring(2)
                    + "0000"
                    + "0000"
                    + "0000"
                    + "0000");
    assertThatThrownBy(() -> EntryCodec.decode(blankRole))
        .isInstanceOf(SalusException.class)
        .hasMessageContaining("no role");
    byte[] v3 = v2.clone();
    v3[0] = 3;
    assertThatThrownBy(() -> EntryCodec.decode(v3))
        .isInstanceOf(SalusException.class)
        .hasMessageContaining("unknown entry version 3");
  }

  private static String hex(String s) {
    return java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}
