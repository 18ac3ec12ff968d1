package org.salus.core.consent;

import java.util.Objects;

/**
 * The decision point's answer, with what decided it and the snapshot of the consent it used.
 * Callers switch over the two cases without a default, so a third cannot be added silently.
 */
public sealed interface ConsentDecision {

  /** What decided: a provision, the node default, or an emergency access. */
  DecisionBasis basis();

  /** The consent version's hash, or the hash standing for "no consent recorded" for the patient. */
  SnapshotHash snapshot();

  /** A short explanation for logs and the patient's access history (no patient data). */
  default String reason() {
    return basis().describe();
  }

  default boolean permitted() {
    return switch (this) {
      case Permit p -> true;
      case Deny d -> false;
    };
  }

  record Permit(DecisionBasis basis, SnapshotHash snapshot) implements ConsentDecision {
    public Permit {
      Objects.requireNonNull(basis, "basis");
      Objects.requireNonNull(snapshot, "snapshot");
    }
  }

  record Deny(DecisionBasis basis, SnapshotHash snapshot) implements ConsentDecision {
    public Deny {
      Objects.requireNonNull(basis, "basis");
      Objects.requireNonNull(snapshot, "snapshot");
    }
  }
}
