package org.salus.core.record;

import java.util.Objects;

/**
 * A source code as the hospital recorded it: the code system URI and the code. Salus keeps source
 * codes (SNOMED CT, LOINC, RxNorm, ICD-10, ...) rather than mapping to standard concepts, so a
 * study names codes in the vocabulary the data arrived in.
 */
public record Code(String system, String code) {

  public static final String SNOMED = "http://snomed.info/sct";
  public static final String LOINC = "http://loinc.org";
  public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  public static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
  public static final String ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
  public static final String CVX = "http://hl7.org/fhir/sid/cvx";

  public Code {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(code, "code");
    if (code.isBlank()) {
      throw new IllegalArgumentException("code must not be blank");
    }
  }

  /** A short vocabulary name for the system: SNOMED, LOINC, RXNORM, ICD10, CVX, or the URI. */
  public String vocabulary() {
    return switch (system) {
      case SNOMED -> "SNOMED";
      case LOINC -> "LOINC";
      case RXNORM -> "RXNORM";
      case ICD10, ICD10_CM -> "ICD10";
      case CVX -> "CVX";
      default -> system;
    };
  }
}
