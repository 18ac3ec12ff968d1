package org.salus.core.ledger.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.salus.core.ledger.merkle.Hash;

/**
 * What every entry records, and nothing of health data: when, who (hashed, and from version 2 of
 * the entry format their public profile), about whom (salted hash), for which purpose, which data
 * classes, and the hash of the request that caused it.
 *
 * @param classes data classes touched, for example {@code condition} or {@code medication}
 * @param actorProfile the actor's role, issuer, institution and country; empty in entries written
 *     before the format carried it (version 1) and for events with no credential behind them
 */
public record EventContext(
    Instant time,
    ActorId actor,
    Optional<SubjectId> subject,
    String purpose,
    List<String> classes,
    Optional<Hash> requestHash,
    Optional<ActorProfile> actorProfile) {

  /** A context without an actor profile (encoded as a version 1 entry). */
  public EventContext(
      Instant time,
      ActorId actor,
      Optional<SubjectId> subject,
      String purpose,
      List<String> classes,
      Optional<Hash> requestHash) {
    this(time, actor, subject, purpose, classes, requestHash, Optional.empty());
  }

  public EventContext {
    // Canonical: sorted and without repeats, so one set of classes has one encoding.
    classes = classes.stream().distinct().sorted().toList();
  }
}
