package org.salus.fhir.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.salus.core.consent.AccessRequest;
import org.salus.core.consent.ActorMatcher;
import org.salus.core.consent.ConsentAction;
import org.salus.core.consent.ConsentChoices;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.DataClass;
import org.salus.core.consent.Grant;
import org.salus.core.consent.InstitutionKind;
import org.salus.core.consent.Interval;
import org.salus.core.consent.Licence;
import org.salus.core.consent.NodeDefaults;
import org.salus.core.consent.PolicyDecisionPoint;
import org.salus.core.consent.Provision;
import org.salus.core.consent.ProvisionType;
import org.salus.core.consent.Purpose;
import org.salus.core.consent.RecordFacts;
import org.salus.core.consent.RequestContext;
import org.salus.core.consent.Requester;
import org.salus.core.consent.Role;
import org.salus.core.consent.SecurityLabel;
import org.salus.core.consent.SensitiveCategory;
import org.salus.core.record.Code;

class ConsentFhirRoundTripTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final ConsentFhirReader READER = new ConsentFhirReader(FHIR);
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Licence ES = new Licence("ES-28-123456", "urn:salus:register:es-cgcom");

  private static ConsentVersion everything() {
    ConsentHistory h =
        ConsentChoices.of(ConsentHistory.empty("person-1"))
            .setPurpose(Purpose.HRESCH, ProvisionType.DENY)
            .setStudy("S-HEART", Purpose.HRESCH, ProvisionType.PERMIT)
            .denyCategory(SensitiveCategory.MENTAL_HEALTH, Set.of())
            .denyCategory(SensitiveCategory.GENETICS, Set.of(Purpose.HRESCH, Purpose.PUBHLTH))
            .denyInstitutionKind(InstitutionKind.COMMERCIAL, Set.of())
            .grant(
                new Grant(
                    "g-es",
                    new ActorMatcher.ByLicence(ES),
                    Set.of(DataClass.PATIENT_SUMMARY, DataClass.ALLERGIES),
                    Interval.between(T0, T0.plusSeconds(864_000)),
                    true))
            .grant(
                new Grant(
                    "g-dk",
                    new ActorMatcher.ByRoleAndCountry(Role.CLINICIAN, "DK"),
                    Set.of(DataClass.RESULTS),
                    Interval.between(T0, T0.plusSeconds(86_400)),
                    false))
            .commit(T0);
    Provision extra =
        Provision.deny()
            .id("extra")
            .actor(new ActorMatcher.ByReference(Role.RESEARCHER, "Researcher/r-9"))
            .codes(new Code(Code.SNOMED, "44054006"))
            .dataPeriod(Interval.until(Instant.parse("2016-01-01T00:00:00Z")))
            .actions(ConsentAction.USE, ConsentAction.DISCLOSE)
            .build();
    Provision root = h.current().orElseThrow().root();
    return ConsentVersion.of(
        "person-1", 2, T0.plusSeconds(5), root.toBuilder().provision(extra).build());
  }

  @Test
  void writingAndReadingBackGivesTheSameProvisions() {
    ConsentVersion v = everything();
    String json =
        FHIR.newJsonParser().encodeResourceToString(ConsentFhirWriter.toFhir(v, "Patient/p-1"));
    switch (READER.parse(json)) {
      case ConsentReadResult.Valid valid -> {
        assertThat(valid.root()).isEqualTo(v.root());
        assertThat(valid.patientReference()).isEqualTo("Patient/p-1");
        assertThat(valid.dateTime()).contains(v.recordedAt());
        assertThat(ConsentVersion.of("person-1", 2, v.recordedAt(), valid.root()).hash())
            .isEqualTo(v.hash());
      }
      case ConsentReadResult.Invalid inv -> throw new AssertionError("refused: " + inv.issues());
    }
  }

  @Test
  void theWrittenConsentCarriesVersionAndSnapshot() {
    ConsentVersion v = everything();
    Consent c = ConsentFhirWriter.toFhir(v, "Patient/p-1");
    assertThat(c.getMeta().getVersionId()).isEqualTo("2");
    assertThat(c.getIdentifierFirstRep().getValue()).isEqualTo(v.hash().toString());
    assertThat(c.getProvision().getProvision()).hasSize(v.root().provisions().size());
  }

  @Test
  void theExampleConsentDecidesAsItReads() throws IOException {
    String json;
    try (InputStream in =
        getClass().getResourceAsStream("/consent/good/research-no-mental-health-with-grant.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ConsentReadResult.Valid valid = (ConsentReadResult.Valid) READER.parse(json);
    ConsentHistory h =
        ConsentHistory.empty("person-1").append(valid.root(), valid.dateTime().orElseThrow());
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(NodeDefaults.optInEverywhere("DK"));
    Requester es =
        Requester.clinician("Practitioner/es-1", Role.CLINICIAN, ES, "ES", InstitutionKind.PUBLIC);
    Requester researcher =
        Requester.of("Researcher/r-1", Role.RESEARCHER, "DK", InstitutionKind.PUBLIC);
    RecordFacts allergy = RecordFacts.of(DataClass.ALLERGIES, Set.of(), T0.minusSeconds(86_400));
    RecordFacts psy =
        RecordFacts.of(DataClass.PROBLEMS, Set.of(SecurityLabel.PSY), T0.minusSeconds(86_400));
    Instant day9 = Instant.parse("2026-12-10T12:00:00Z");
    Instant day10 = Instant.parse("2026-12-11T00:00:00Z");
    List<Boolean> decisions =
        List.of(
            pdp.decide(
                    h,
                    new AccessRequest(
                        RequestContext.of(es, Purpose.TREAT, ConsentAction.ACCESS, day9), allergy))
                .permitted(),
            pdp.decide(
                    h,
                    new AccessRequest(
                        RequestContext.of(es, Purpose.TREAT, ConsentAction.ACCESS, day10), allergy))
                .permitted(),
            pdp.decide(
                    h,
                    new AccessRequest(
                        RequestContext.of(researcher, Purpose.HRESCH, ConsentAction.USE, day9),
                        allergy))
                .permitted(),
            pdp.decide(
                    h,
                    new AccessRequest(
                        RequestContext.of(researcher, Purpose.HRESCH, ConsentAction.USE, day9),
                        psy))
                .permitted());
    // The grant's date-only end "2026-12-10" includes that whole day (FHIR Period semantics).
    assertThat(decisions).containsExactly(true, false, true, false);
    assertThat(valid.root().provisions().get(2).actors())
        .containsExactly(new ActorMatcher.ByLicence(ES));
    assertThat(Optional.of(valid.root().provisions().get(2).provisions().get(0).classes()))
        .contains(Set.of(DataClass.PATIENT_SUMMARY, DataClass.ALLERGIES));
  }
}
