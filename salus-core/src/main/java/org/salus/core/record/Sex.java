package org.salus.core.record;

import java.util.Locale;

/** Administrative sex as recorded (FHIR administrative-gender, HL7 v2 table 0001). */
public enum Sex {
  MALE,
  FEMALE,
  OTHER,
  UNKNOWN;

  /** Maps FHIR administrative-gender codes (male, female, other, unknown). */
  public static Sex fromFhir(String code) {
    return switch (code.toLowerCase(Locale.ROOT)) {
      case "male" -> MALE;
      case "female" -> FEMALE;
      case "other" -> OTHER;
      case "unknown" -> UNKNOWN;
      default -> throw new IllegalArgumentException("unknown administrative gender");
    };
  }

  /** Maps HL7 v2 table 0001 codes (M, F, O, U, A, N). */
  public static Sex fromHl7v2(String code) {
    return switch (code.toUpperCase(Locale.ROOT)) {
      case "M" -> MALE;
      case "F" -> FEMALE;
      case "O", "A", "N" -> OTHER;
      case "U" -> UNKNOWN;
      default -> throw new IllegalArgumentException("unknown administrative sex");
    };
  }
}
