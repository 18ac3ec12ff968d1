package org.salus.server.credential;

import java.util.Map;
import org.salus.core.trust.Role;

/**
 * A presentation that passed every check.
 *
 * @param disclosed only the claims the holder chose to reveal
 */
public record VerifiedCredential(
    String issuer, String subject, Role role, Map<String, Object> disclosed, StatusRef status) {

  public VerifiedCredential {
    disclosed = Map.copyOf(disclosed);
  }

  @Override
  public String toString() {
    // Claim values may be personal data: never print them.
    return "VerifiedCredential[issuer="
        + issuer
        + ", role="
        + role
        + ", claims="
        + disclosed.keySet()
        + "]";
  }
}
