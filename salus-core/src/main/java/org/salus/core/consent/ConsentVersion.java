package org.salus.core.consent;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded state of a patient's consent: immutable, numbered from 1, with the instant it was
 * recorded and the SHA-256 of its canonical encoding. The root provision's own type, if any, is the
 * consent's base rule; nested provisions are its exceptions.
 */
public final class ConsentVersion {

  private final String patient;
  private final int version;
  private final Instant recordedAt;
  private final Provision root;
  private final SnapshotHash hash;

  private ConsentVersion(String patient, int version, Instant recordedAt, Provision root) {
    this.patient = Objects.requireNonNull(patient, "patient");
    if (version < 1) {
      throw new ConsentException("consent.version.invalid", "versions start at 1, got " + version);
    }
    this.version = version;
    this.recordedAt = Objects.requireNonNull(recordedAt, "recordedAt");
    this.root = Objects.requireNonNull(root, "root");
    this.hash = SnapshotHash.ofCanonical(CanonicalEncoding.of(this));
  }

  /** A version of the consent of the patient (a pseudonymous person key or a reference). */
  public static ConsentVersion of(String patient, int version, Instant recordedAt, Provision root) {
    return new ConsentVersion(patient, version, recordedAt, root);
  }

  public String patient() {
    return patient;
  }

  public int version() {
    return version;
  }

  public Instant recordedAt() {
    return recordedAt;
  }

  public Provision root() {
    return root;
  }

  /** SHA-256 over the canonical encoding of patient, version, recording time and provisions. */
  public SnapshotHash hash() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsentVersion v && hash.equals(v.hash);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "ConsentVersion[v" + version + " at " + recordedAt + ", " + hash + "]";
  }
}
