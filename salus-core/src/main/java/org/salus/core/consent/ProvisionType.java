package org.salus.core.consent;

import java.util.Optional;

/**
 * Whether a provision permits or denies what it matches (FHIR R4 {@code Consent.provision.type}).
 */
public enum ProvisionType {
  PERMIT("permit"),
  DENY("deny");

  private final String code;

  ProvisionType(String code) {
    this.code = code;
  }

  /** The FHIR code ({@code http://hl7.org/fhir/consent-provision-type}). */
  public String code() {
    return code;
  }

  public static Optional<ProvisionType> fromCode(String code) {
    for (ProvisionType t : values()) {
      if (t.code.equals(code)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
