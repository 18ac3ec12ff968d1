package org.salus.fhir.consent;

import java.util.Objects;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * One thing wrong with a Consent resource: the FHIR issue type, the FHIRPath-like expression of the
 * element (for example {@code Consent.provision.provision[1].period}) and what is wrong. Messages
 * name codes and elements, never patient data.
 */
public record ConsentIssue(IssueType type, String expression, String message) {
  public ConsentIssue {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(message, "message");
  }
}
