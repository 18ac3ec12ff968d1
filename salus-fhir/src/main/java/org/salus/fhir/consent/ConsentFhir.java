package org.salus.fhir.consent;

/** Systems and extension URLs Salus uses in FHIR R4 Consent resources (see docs/consent.md). */
final class ConsentFhir {

  /** {@code Consent.provision.extension}: the kinds of institution the provision is about. */
  static final String INSTITUTION_KIND_EXTENSION =
      "https://salus.example.org/fhir/StructureDefinition/consent-institution-kind";

  /** {@code Consent.provision.extension}: a study id the provision is about (valueString). */
  static final String STUDY_EXTENSION =
      "https://salus.example.org/fhir/StructureDefinition/consent-study";

  /** {@code Consent.identifier} system holding the snapshot hash of the written version. */
  static final String SNAPSHOT_SYSTEM = "urn:salus:consent-snapshot";

  /** Actor identifier system naming a country (role and country matcher). */
  static final String COUNTRY_SYSTEM = "urn:iso:std:iso:3166";

  /** Actor role for a clinician named by licence: information recipient. */
  static final String PARTICIPATION_TYPE =
      "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

  static final String RECIPIENT_ROLE = "IRCP";

  static final String SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";

  static final String LOINC = "http://loinc.org";

  /** LOINC 59284-0, "Patient Consent". */
  static final String PATIENT_CONSENT = "59284-0";

  private ConsentFhir() {}
}
