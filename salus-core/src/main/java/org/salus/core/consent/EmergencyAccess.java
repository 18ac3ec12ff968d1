package org.salus.core.consent;

import java.util.Collections;
import java.util.Set;

/**
 * An open break-glass access: one requester, one patient, a few classes, a short window, purpose
 * {@link Purpose#ETREAT}. Only {@link EmergencyAccessPolicy#open} creates one, and it always
 * returns the audit record and the steward's review item with it; {@link #resumed} restores one a
 * node recorded, after a restart.
 */
public final class EmergencyAccess {

  private final String id;
  private final String patient;
  private final String requesterReference;
  private final Set<DataClass> classes;
  private final Set<SecurityLabel> excludedLabels;
  private final Interval window;
  private final String reason;

  EmergencyAccess(
      String id,
      String patient,
      String requesterReference,
      Set<DataClass> classes,
      Set<SecurityLabel> excludedLabels,
      Interval window,
      String reason) {
    this.id = id;
    this.patient = patient;
    this.requesterReference = requesterReference;
    this.classes = Set.copyOf(classes);
    this.excludedLabels = Set.copyOf(excludedLabels);
    this.window = window;
    this.reason = reason;
  }

  /**
   * An access opened earlier, as the node recorded it when it opened (its opening was audited
   * then), restored when the node starts again so that it keeps working until its time limit. The
   * window must have both ends.
   */
  public static EmergencyAccess resumed(
      String id,
      String patient,
      String requesterReference,
      Set<DataClass> classes,
      Set<SecurityLabel> excludedLabels,
      Interval window,
      String reason) {
    if (window.start().isEmpty() || window.end().isEmpty()) {
      throw new ConsentException(
          "consent.emergency.window", "emergency access " + id + " resumes with a bounded window");
    }
    return new EmergencyAccess(
        id, patient, requesterReference, classes, excludedLabels, window, reason);
  }

  public String id() {
    return id;
  }

  public String patient() {
    return patient;
  }

  public String requesterReference() {
    return requesterReference;
  }

  public Set<DataClass> classes() {
    return classes;
  }

  /** The sensitive labels that stay hidden under this access. */
  public Set<SecurityLabel> excludedLabels() {
    return excludedLabels;
  }

  public Interval window() {
    return window;
  }

  /** The reason the clinician stated; shown to the patient and the steward, never logged. */
  public String reason() {
    return reason;
  }

  /**
   * Whether this access permits the request: same patient and requester, purpose ETREAT, inside the
   * window, a covered class, and no excluded (sensitive) label on the record.
   */
  boolean covers(String forPatient, AccessRequest request) {
    RequestContext c = request.context();
    RecordFacts r = request.record();
    return patient.equals(forPatient)
        && c.purpose() == Purpose.ETREAT
        && c.action() == ConsentAction.ACCESS
        && c.requester().reference().equals(requesterReference)
        && window.contains(c.time())
        && r.dataClass().map(classes::contains).orElse(false)
        && Collections.disjoint(r.labels(), excludedLabels);
  }

  @Override
  public String toString() {
    return "EmergencyAccess[" + id + ", " + classes + ", " + window + "]";
  }
}
