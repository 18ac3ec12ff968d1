package org.salus.core.consent;

import java.util.Optional;

/** Why a decision came out as it did. */
public sealed interface DecisionBasis {

  String describe();

  /**
   * A provision decided; {@code path} is its FHIRPath-like location, for example {@code
   * Consent.provision.provision[2]}.
   */
  record ByProvision(String path, Optional<String> id) implements DecisionBasis {
    @Override
    public String describe() {
      return path + id.map(i -> " (" + i + ")").orElse("");
    }
  }

  /** No provision applied; the node's default for the purpose decided. */
  record ByNodeDefault(Purpose purpose, DefaultRule rule) implements DecisionBasis {
    @Override
    public String describe() {
      return "node default " + rule + " for " + purpose.code();
    }
  }

  /** The consent did not permit; an open emergency access did. */
  record ByEmergencyAccess(String accessId) implements DecisionBasis {
    @Override
    public String describe() {
      return "emergency access " + accessId;
    }
  }
}
