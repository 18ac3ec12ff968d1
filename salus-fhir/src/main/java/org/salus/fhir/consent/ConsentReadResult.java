package org.salus.fhir.consent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.salus.core.consent.Provision;

/** A Consent resource read: a valid consent to record, or the issues that make it invalid. */
public sealed interface ConsentReadResult {

  /**
   * A consent to record as the patient's next version.
   *
   * @param patientReference {@code Consent.patient.reference}, for example {@code Patient/123}
   * @param dateTime {@code Consent.dateTime} if given; the recording time is the node's
   */
  record Valid(String patientReference, Provision root, Optional<Instant> dateTime)
      implements ConsentReadResult {
    public Valid {
      Objects.requireNonNull(patientReference, "patientReference");
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(dateTime, "dateTime");
    }
  }

  /** At least one issue; nothing of the resource is to be recorded. */
  record Invalid(List<ConsentIssue> issues) implements ConsentReadResult {
    public Invalid {
      issues = List.copyOf(issues);
      if (issues.isEmpty()) {
        throw new IllegalArgumentException("an invalid consent has at least one issue");
      }
    }

    /** The issues as an OperationOutcome, each naming its element in {@code expression}. */
    public OperationOutcome operationOutcome() {
      OperationOutcome o = new OperationOutcome();
      for (ConsentIssue i : issues) {
        o.addIssue()
            .setSeverity(OperationOutcome.IssueSeverity.ERROR)
            .setCode(i.type())
            .setDiagnostics(i.message())
            .addExpression(i.expression());
      }
      return o;
    }
  }
}
