package org.salus.core.consent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything about a request except the record: who, why, what they do, when, for which study
 * (research only), and an open emergency access if the requester claims one.
 */
public record RequestContext(
    Requester requester,
    Purpose purpose,
    ConsentAction action,
    Instant time,
    Optional<String> study,
    Optional<EmergencyAccess> emergency) {

  public RequestContext {
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(study, "study");
    Objects.requireNonNull(emergency, "emergency");
  }

  public static RequestContext of(
      Requester requester, Purpose purpose, ConsentAction action, Instant time) {
    return new RequestContext(requester, purpose, action, time, Optional.empty(), Optional.empty());
  }

  /** The same request for the given study. */
  public RequestContext forStudy(String studyId) {
    return new RequestContext(requester, purpose, action, time, Optional.of(studyId), emergency);
  }

  /** The same request under an open emergency access. */
  public RequestContext withEmergency(EmergencyAccess access) {
    return new RequestContext(requester, purpose, action, time, study, Optional.of(access));
  }

  /** The same request at another time. */
  public RequestContext at(Instant when) {
    return new RequestContext(requester, purpose, action, when, study, emergency);
  }
}
