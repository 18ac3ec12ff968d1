package org.salus.core.ledger.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.salus.core.ledger.merkle.Hash;

/**
 * What every entry records, and nothing of health data: when, who (hashed), about whom (salted
 * hash), for which purpose, which data classes, and the hash of the request that caused it.
 *
 * @param classes data classes touched, for example {@code condition} or {@code medication}
 */
public record EventContext(
    Instant time,
    ActorId actor,
    Optional<SubjectId> subject,
    String purpose,
    List<String> classes,
    Optional<Hash> requestHash) {

  public EventContext {
    // Canonical: sorted and without repeats, so one set of classes has one encoding.
    classes = classes.stream().distinct().sorted().toList();
  }
}
