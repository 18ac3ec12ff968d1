package org.salus.core.consent;

import java.util.Objects;

/** What opening an emergency access yields, all three together. */
public record EmergencyOpening(
    EmergencyAccess access, AuditRecord audit, StewardReviewItem review) {
  public EmergencyOpening {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(review, "review");
  }
}
