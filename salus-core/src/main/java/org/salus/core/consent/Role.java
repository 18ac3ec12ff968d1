package org.salus.core.consent;

import java.util.Optional;

/** The role a requester proves with a credential, as named in provisions and grants. */
public enum Role {
  CLINICIAN("clinician"),
  EMERGENCY_CLINICIAN("emergency-clinician"),
  NURSE("nurse"),
  RESEARCHER("researcher"),
  PUBLIC_HEALTH_OFFICER("public-health-officer"),
  PATIENT("patient"),
  STEWARD("steward");

  /** Salus's code system for requester roles ({@code Consent.provision.actor.role}). */
  public static final String SYSTEM = "https://salus.example.org/fhir/CodeSystem/requester-role";

  private final String code;

  Role(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<Role> fromCode(String code) {
    for (Role r : values()) {
      if (r.code.equals(code)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
