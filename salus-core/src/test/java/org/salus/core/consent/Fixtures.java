package org.salus.core.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.salus.core.record.Code;

/** Named consents, requesters and node defaults shared by the scenario table and the tests. */
final class Fixtures {

  static final Instant DAY0 = Instant.parse("2026-12-01T00:00:00Z");
  static final String PATIENT = "person-7f3a";
  static final Licence ES_LICENCE = new Licence("ES-28-123456", "urn:salus:register:es-cgcom");

  private Fixtures() {}

  static Instant day(int n) {
    return DAY0.plus(Duration.ofDays(n));
  }

  static NodeDefaults node(String name) {
    return switch (name) {
      case "DK" ->
          NodeDefaults.of(
              "DK",
              Map.of(
                  Purpose.TREAT, DefaultRule.OPT_IN,
                  Purpose.HRESCH, DefaultRule.OPT_IN,
                  Purpose.PUBHLTH, DefaultRule.OPT_OUT,
                  Purpose.HOPERAT, DefaultRule.OPT_OUT,
                  Purpose.HQUALIMP, DefaultRule.OPT_OUT));
      case "OPTOUT" ->
          NodeDefaults.of(
              "XX",
              Map.of(
                  Purpose.HRESCH, DefaultRule.OPT_OUT,
                  Purpose.PUBHLTH, DefaultRule.OPT_OUT,
                  Purpose.HOPERAT, DefaultRule.OPT_OUT));
      default -> throw new IllegalArgumentException("no node defaults named " + name);
    };
  }

  static Requester requester(String name) {
    return switch (name) {
      case "es-doc" -> clinician("Practitioner/es-1", Role.CLINICIAN, ES_LICENCE, "ES");
      case "es-doc-other-licence" ->
          clinician(
              "Practitioner/es-2",
              Role.CLINICIAN,
              new Licence("ES-28-999999", ES_LICENCE.issuer()),
              "ES");
      case "es-doc-wrong-issuer" ->
          clinician(
              "Practitioner/pt-1",
              Role.CLINICIAN,
              new Licence(ES_LICENCE.number(), "urn:salus:register:pt-om"),
              "PT");
      case "dk-doc" ->
          clinician(
              "Practitioner/dk-1",
              Role.CLINICIAN,
              new Licence("DK-1", "urn:salus:register:dk-sst"),
              "DK");
      case "dk-nurse" ->
          clinician(
              "Practitioner/dk-2",
              Role.NURSE,
              new Licence("DK-2", "urn:salus:register:dk-sst"),
              "DK");
      case "se-doc" ->
          clinician(
              "Practitioner/se-1",
              Role.CLINICIAN,
              new Licence("SE-1", "urn:salus:register:se-socialstyrelsen"),
              "SE");
      case "de-doc" ->
          clinician(
              "Practitioner/de-1",
              Role.CLINICIAN,
              new Licence("DE-1", "urn:salus:register:de-baek"),
              "DE");
      case "er-doc" ->
          clinician(
              "Practitioner/er-1",
              Role.EMERGENCY_CLINICIAN,
              new Licence("DK-9", "urn:salus:register:dk-sst"),
              "DK");
      case "researcher-public" ->
          Requester.of("Researcher/r-1", Role.RESEARCHER, "DK", InstitutionKind.PUBLIC);
      case "researcher-private" ->
          Requester.of("Researcher/r-2", Role.RESEARCHER, "DK", InstitutionKind.PRIVATE_NON_PROFIT);
      case "researcher-commercial" ->
          Requester.of("Researcher/r-3", Role.RESEARCHER, "DK", InstitutionKind.COMMERCIAL);
      case "officer" ->
          Requester.of("Officer/o-1", Role.PUBLIC_HEALTH_OFFICER, "DK", InstitutionKind.PUBLIC);
      default -> throw new IllegalArgumentException("no requester named " + name);
    };
  }

  private static Requester clinician(String ref, Role role, Licence licence, String country) {
    return Requester.clinician(ref, role, licence, country, InstitutionKind.PUBLIC);
  }

  static Grant esGrant() {
    return new Grant(
        "g-es",
        new ActorMatcher.ByLicence(ES_LICENCE),
        Set.of(DataClass.PATIENT_SUMMARY, DataClass.ALLERGIES),
        Interval.between(day(0), day(10)),
        true);
  }

  static ConsentHistory consent(String name) {
    ConsentHistory empty = ConsentHistory.empty(PATIENT);
    ConsentChoices c = ConsentChoices.of(empty);
    return switch (name) {
      case "none" -> empty;
      case "research" -> research(c).commit(day(0));
      case "study-only" ->
          c.setPurpose(Purpose.HRESCH, ProvisionType.DENY)
              .setStudy("S-HEART", Purpose.HRESCH, ProvisionType.PERMIT)
              .denyCategory(SensitiveCategory.GENETICS, Set.of(Purpose.HRESCH))
              .commit(day(0));
      case "study-deny" ->
          c.setPurpose(Purpose.HRESCH, ProvisionType.PERMIT)
              .setStudy("S-PHARMA", Purpose.HRESCH, ProvisionType.DENY)
              .commit(day(0));
      case "grants" -> grants(empty);
      case "revoked" -> {
        ConsentHistory h = research(c).commit(day(0));
        yield ConsentChoices.of(h).revokeAll().commit(day(5));
      }
      case "replay" -> {
        ConsentHistory h = c.setPurpose(Purpose.HRESCH, ProvisionType.PERMIT).commit(day(0));
        h = ConsentChoices.of(h).setPurpose(Purpose.HRESCH, ProvisionType.DENY).commit(day(5));
        yield ConsentChoices.of(h).clearPurpose(Purpose.HRESCH).commit(day(10));
      }
      case "codes" ->
          empty.append(
              Provision.scope()
                  .provision(
                      Provision.permit()
                          .purposes(Purpose.HRESCH)
                          .provision(
                              Provision.deny().codes(new Code(Code.SNOMED, "44054006")).build())
                          .provision(
                              Provision.deny()
                                  .dataPeriod(Interval.until(Instant.parse("2016-01-01T00:00:00Z")))
                                  .build())
                          .build())
                  .build(),
              day(0));
      default -> throw new IllegalArgumentException("no consent named " + name);
    };
  }

  private static ConsentChoices research(ConsentChoices c) {
    return c.setPurpose(Purpose.HRESCH, ProvisionType.PERMIT)
        .denyCategory(SensitiveCategory.MENTAL_HEALTH, Set.of())
        .denyInstitutionKind(InstitutionKind.COMMERCIAL, Set.of(Purpose.HRESCH))
        .setPurpose(Purpose.PUBHLTH, ProvisionType.DENY);
  }

  private static ConsentHistory grants(ConsentHistory empty) {
    Grant dk =
        new Grant(
            "g-dk",
            new ActorMatcher.ByRoleAndCountry(Role.CLINICIAN, "DK"),
            Set.of(DataClass.RESULTS),
            Interval.between(day(0), day(30)),
            false);
    Grant de =
        new Grant(
            "g-old",
            new ActorMatcher.ByLicence(new Licence("DE-1", "urn:salus:register:de-baek")),
            Set.of(DataClass.PATIENT_SUMMARY),
            Interval.between(day(0), day(30)),
            false);
    ConsentHistory h =
        ConsentChoices.of(empty)
            .grant(esGrant())
            .grant(dk)
            .denyCategory(SensitiveCategory.SUBSTANCE_USE, Set.of())
            .grant(de)
            .commit(day(0));
    return ConsentChoices.of(h).revokeGrant("g-old").commit(day(2));
  }
}
