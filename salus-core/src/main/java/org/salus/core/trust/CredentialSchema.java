package org.salus.core.trust;

import java.util.List;

/**
 * The claims each credential type carries besides {@code iss}, {@code sub}, {@code vct} and the
 * holder key. All of them are selectively disclosable; {@link #minimalDisclosure(Role)} is what a
 * holder reveals to log in (a clinician shows profession and country, not a birth date).
 */
public final class CredentialSchema {

  /** Personal claims every credential may carry. */
  public static final List<String> PERSONAL = List.of("given_name", "family_name", "birthdate");

  private CredentialSchema() {}

  /** The claims a credential of {@code role} must carry. */
  public static List<String> requiredClaims(Role role) {
    return switch (role) {
      case PATIENT -> List.of("home_node", "record_ref");
      case CLINICIAN -> List.of("profession", "licence_number", "country");
      case RESEARCHER -> List.of("institution");
      case STEWARD -> List.of("node");
      case AUDITOR -> List.of("organisation");
    };
  }

  /** The claims a holder needs to disclose to log in with a credential of {@code role}. */
  public static List<String> minimalDisclosure(Role role) {
    return switch (role) {
      case PATIENT -> List.of("home_node", "record_ref");
      case CLINICIAN -> List.of("profession", "country");
      case RESEARCHER -> List.of("institution");
      case STEWARD -> List.of("node");
      case AUDITOR -> List.of("organisation");
    };
  }
}
