package org.salus.core.consent;

import java.util.Optional;

/** The kind of institution a requester acts for; patients may refuse some kinds. */
public enum InstitutionKind {
  PUBLIC("public", "public institutions"),
  PRIVATE_NON_PROFIT("private-non-profit", "private non-profit institutions"),
  COMMERCIAL("commercial", "commercial companies");

  /** Salus's code system for institution kinds (a provision extension in FHIR). */
  public static final String SYSTEM = "https://salus.example.org/fhir/CodeSystem/institution-kind";

  private final String code;
  private final String display;

  InstitutionKind(String code, String display) {
    this.code = code;
    this.display = display;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  public static Optional<InstitutionKind> fromCode(String code) {
    for (InstitutionKind k : values()) {
      if (k.code.equals(code)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
