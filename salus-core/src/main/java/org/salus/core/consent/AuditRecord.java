package org.salus.core.consent;

import java.time.Instant;
import java.util.Set;

/**
 * An entry for the patient's access history and the ledger: who, in which role, institution and
 * country, for what purpose, which classes, when. Holds references and pseudonyms, no health data.
 */
public record AuditRecord(
    Kind kind,
    String eventId,
    String patient,
    String requesterReference,
    Role role,
    String country,
    InstitutionKind institutionKind,
    Purpose purpose,
    Set<DataClass> classes,
    Instant at) {

  public AuditRecord {
    classes = Set.copyOf(classes);
  }

  /** What the entry records. */
  public enum Kind {
    EMERGENCY_ACCESS_OPENED,
    ACCESS,
    CONSENT_CHANGED
  }
}
