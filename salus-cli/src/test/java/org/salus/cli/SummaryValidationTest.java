package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.junit.jupiter.api.Test;

/**
 * The {@code $summary} document validates against base FHIR R4 with HAPI's {@link FhirValidator}
 * (StructureDefinitions of hapi-fhir-validation-resources-r4): Bundle type document, identifier,
 * timestamp, the Composition's required elements, section codes and narrative. The IPS profile
 * package (hl7.fhir.uv.ips) is not available offline, so the IPS profiles themselves are not
 * checked (docs/consent.md).
 */
class SummaryValidationTest extends NodeHttpFixture {

  private static final FhirValidator VALIDATOR = validator();

  @Test
  void theSummaryDocumentIsValidR4WithAndWithoutAGrant() throws Exception {
    try (Running n = start()) {
      String patient = n.login("patient", "home_node,record_ref");
      String clinician = n.login("clinician", "profession,country,licence_number");
      String path = "/fhir/" + patientRef + "/$summary";

      List<String> emptyErrors = errors(n.get(path, clinician).body());

      n.json(
          n.client.post(
              n.uri("/patient/consent"),
              "application/fhir+json",
              grantConsent(
                  daysFromNow(-1),
                  daysFromNow(10),
                  actor(
                      "https://salus.example.org/fhir/CodeSystem/requester-role",
                      "clinician",
                      "urn:iso:std:iso:3166",
                      "ES"),
                  "allergies",
                  "medications",
                  "problems"),
              Optional.of(patient)),
          201);
      String full = n.get(path, clinician).body();
      assertThat(n.json(n.get(path, clinician), 200).get("entry").size()).isGreaterThan(1);
      List<String> fullErrors = errors(full);
      assertThat(emptyErrors).as("without a grant").isEmpty();
      assertThat(fullErrors).as("the stored originals' own findings are there").isNotEmpty();
      assertThat(fullErrors.stream().filter(e -> !ofTheStoredOriginals(e)).toList())
          .as("with allergies, medications and problems, beyond the originals' own findings")
          .isEmpty();
    }
  }

  @Test
  void theValidatorCatchesABrokenDocument() throws Exception {
    // A document Bundle whose Composition lacks status, type, date, author and title.
    String broken =
        """
        {"resourceType": "Bundle", "type": "document",
         "identifier": {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:1"},
         "timestamp": "2026-01-01T00:00:00Z",
         "entry": [{"fullUrl": "urn:uuid:2", "resource": {"resourceType": "Composition"}}]}
        """;
    assertThat(errors(broken)).isNotEmpty();
  }

  /**
   * The two findings the validator reports inside the stored originals (ingested Synthea resources,
   * returned as ingested): their US Core {@code meta.profile} claims, which cannot be checked
   * offline, and Synthea's conditional references ({@code Practitioner?identifier=...}), which are
   * valid only in the transaction Bundle they were ingested from. The document itself — Bundle,
   * Composition, subject, sections — has no finding.
   */
  private static boolean ofTheStoredOriginals(String error) {
    return ORIGINAL.matcher(error).find()
        && (error.contains("has not been checked because it could not be found")
            || error.contains(
                "Relative URLs must be of the format [ResourceName]/[id]."
                    + " Encountered Practitioner?identifier="));
  }

  /**
   * The location of a finding inside a section entry (entry 0 is the Composition, 1 the Patient).
   */
  private static final java.util.regex.Pattern ORIGINAL =
      java.util.regex.Pattern.compile("^Bundle\\.entry\\[([2-9]|[1-9][0-9]+)\\]\\.resource");

  private static List<String> errors(String json) {
    return VALIDATOR.validateWithResult(json).getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
        .map(SummaryValidationTest::describe)
        .toList();
  }

  private static String describe(SingleValidationMessage m) {
    return m.getLocationString() + ": " + m.getMessage();
  }

  private static FhirValidator validator() {
    FhirContext ctx = FhirContext.forR4Cached();
    ValidationSupportChain chain =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(ctx),
            new SnapshotGeneratingValidationSupport(ctx),
            new InMemoryTerminologyServerValidationSupport(ctx),
            new CommonCodeSystemsTerminologyService(ctx));
    return ctx.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
  }
}
