package org.salus.fhir.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Reads FHIR R4 Consent resources into the core model, validating as it goes. Every issue found is
 * reported (not only the first), each naming its element: a missing patient or status, unknown
 * codes, actors that name nobody, periods that end before they start, and contradictory provisions
 * (two siblings with the same scope, one permit and one deny).
 */
public final class ConsentFhirReader {

  private final FhirContext context;

  /** A reader parsing JSON with the given R4 context (creating one is slow; share it). */
  public ConsentFhirReader(FhirContext context) {
    this.context = context;
  }

  /** Parses and reads a Consent in FHIR JSON. */
  public ConsentReadResult parse(String json) {
    Consent consent;
    try {
      consent = context.newJsonParser().parseResource(Consent.class, json);
    } catch (DataFormatException e) {
      return new ConsentReadResult.Invalid(
          List.of(
              new ConsentIssue(
                  IssueType.STRUCTURE, "Consent", "not a FHIR R4 Consent resource in JSON")));
    }
    return read(consent);
  }

  /** Reads a parsed Consent. */
  public static ConsentReadResult read(Consent c) {
    List<ConsentIssue> issues = new ArrayList<>();
    if (!c.hasStatus()) {
      issues.add(new ConsentIssue(IssueType.REQUIRED, "Consent.status", "status is required"));
    } else if (c.getStatus() != Consent.ConsentState.ACTIVE) {
      issues.add(
          new ConsentIssue(
              IssueType.NOTSUPPORTED,
              "Consent.status",
              "only an active consent can be recorded, got " + c.getStatus().toCode()));
    }
    if (!c.hasPatient()
        || !c.getPatient().hasReference()
        || !c.getPatient().getReference().startsWith("Patient/")) {
      issues.add(
          new ConsentIssue(
              IssueType.REQUIRED, "Consent.patient", "a reference to the Patient is required"));
    }
    if (!c.hasProvision()) {
      issues.add(
          new ConsentIssue(IssueType.REQUIRED, "Consent.provision", "a provision is required"));
    }
    Optional<org.salus.core.consent.Provision> root =
        c.hasProvision()
            ? ProvisionReader.read(c.getProvision(), "Consent.provision", issues)
            : Optional.empty();
    if (!issues.isEmpty() || root.isEmpty()) {
      return new ConsentReadResult.Invalid(issues);
    }
    return new ConsentReadResult.Valid(
        c.getPatient().getReference(),
        root.get(),
        c.hasDateTime() ? Optional.of(c.getDateTime().toInstant()) : Optional.empty());
  }
}
