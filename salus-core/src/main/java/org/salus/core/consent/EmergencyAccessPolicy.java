package org.salus.core.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The steward's break-glass rules: which roles may open an emergency access, which classes it
 * reveals, for how long, and which sensitive labels stay hidden even then.
 */
public record EmergencyAccessPolicy(
    Set<Role> roles, Set<DataClass> classes, Duration duration, Set<SecurityLabel> excludedLabels) {

  public EmergencyAccessPolicy {
    roles = Set.copyOf(roles);
    classes = Set.copyOf(classes);
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()
        || duration.isZero()
        || duration.compareTo(Duration.ofHours(24)) > 0) {
      throw new ConsentException(
          "consent.emergency.duration",
          "emergency access lasts more than 0 and at most 24 hours, got " + duration);
    }
    excludedLabels = Set.copyOf(excludedLabels);
  }

  /**
   * Emergency clinicians, the summary, allergies, medications and problems, four hours, every
   * sensitive label excluded.
   */
  public static EmergencyAccessPolicy standard() {
    return new EmergencyAccessPolicy(
        Set.of(Role.EMERGENCY_CLINICIAN),
        Set.of(
            DataClass.PATIENT_SUMMARY,
            DataClass.ALLERGIES,
            DataClass.MEDICATIONS,
            DataClass.PROBLEMS),
        Duration.ofHours(4),
        EnumSet.allOf(SecurityLabel.class));
  }

  /**
   * Opens an emergency access. The reason is required; the requester must hold an emergency role.
   * The result holds the access, the audit record and the review item: the caller cannot get one
   * without the others.
   */
  public EmergencyOpening open(
      String accessId, Requester requester, String patient, String reason, Instant now) {
    if (reason.isBlank()) {
      throw new ConsentException(
          "consent.emergency.reason-required",
          "emergency access " + accessId + " states no reason");
    }
    if (!roles.contains(requester.role())) {
      throw new ConsentException(
          "consent.emergency.role",
          "role " + requester.role().code() + " may not open emergency access " + accessId);
    }
    Interval window = Interval.between(now, now.plus(duration));
    EmergencyAccess access =
        new EmergencyAccess(
            accessId, patient, requester.reference(), classes, excludedLabels, window, reason);
    AuditRecord audit =
        new AuditRecord(
            AuditRecord.Kind.EMERGENCY_ACCESS_OPENED,
            accessId,
            patient,
            requester.reference(),
            requester.role(),
            requester.country(),
            requester.institutionKind(),
            Purpose.ETREAT,
            classes,
            now);
    StewardReviewItem review =
        new StewardReviewItem(accessId, patient, requester.reference(), reason, now);
    return new EmergencyOpening(access, audit, review);
  }
}
