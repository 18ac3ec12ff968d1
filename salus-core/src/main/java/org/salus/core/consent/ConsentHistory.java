package org.salus.core.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * All versions of one patient's consent, oldest first. Append-only and immutable: {@link #append}
 * returns a new history. Versions are numbered 1, 2, ... and recorded at non-decreasing instants.
 */
public final class ConsentHistory {

  private final String patient;
  private final List<ConsentVersion> versions;

  private ConsentHistory(String patient, List<ConsentVersion> versions) {
    this.patient = patient;
    this.versions = List.copyOf(versions);
  }

  /** A patient who has recorded no consent yet: node defaults decide. */
  public static ConsentHistory empty(String patient) {
    return new ConsentHistory(Objects.requireNonNull(patient, "patient"), List.of());
  }

  public String patient() {
    return patient;
  }

  public List<ConsentVersion> versions() {
    return versions;
  }

  /** The newest version, if any. */
  public Optional<ConsentVersion> current() {
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  /** Records a new version with the given root provision; it must not predate the newest one. */
  public ConsentHistory append(Provision root, Instant recordedAt) {
    Optional<ConsentVersion> last = current();
    if (last.isPresent() && recordedAt.isBefore(last.get().recordedAt())) {
      throw new ConsentException(
          "consent.history.out-of-order",
          "version "
              + (versions.size() + 1)
              + " recorded at "
              + recordedAt
              + " predates version "
              + versions.size()
              + " at "
              + last.get().recordedAt());
    }
    List<ConsentVersion> next = new ArrayList<>(versions);
    next.add(ConsentVersion.of(patient, versions.size() + 1, recordedAt, root));
    return new ConsentHistory(patient, next);
  }

  /** The version in force at the instant: the newest recorded at or before it. */
  public Optional<ConsentVersion> asOf(Instant t) {
    ConsentVersion found = null;
    for (ConsentVersion v : versions) {
      if (v.recordedAt().isAfter(t)) {
        break;
      }
      found = v;
    }
    return Optional.ofNullable(found);
  }
}
