package org.salus.core.study.run;

import java.util.Objects;

/** A node's answer when asked to take part in a study. */
public sealed interface Joining {

  /**
   * The node selected the study's population among persons whose consent permits the purpose;
   * {@code consentSnapshot} identifies the consent state it used (hex SHA-256, see {@code
   * CohortConsentFilter.Selection}).
   */
  record Joined(String consentSnapshot) implements Joining {
    public Joined {
      Objects.requireNonNull(consentSnapshot, "consentSnapshot");
    }
  }

  /** The node does not take part: a stable code and what went wrong, without data. */
  record Declined(String code, String message) implements Joining {
    public Declined {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
