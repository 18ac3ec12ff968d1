package org.salus.core.study;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a study reads data: codes from the HL7 v3 PurposeOfUse value system
 * (http://terminology.hl7.org/CodeSystem/v3-ActReason). The consent model has its own purpose type;
 * the two carry the same codes and are to be unified.
 */
public enum StudyPurpose {
  /** Healthcare research. */
  HRESCH,
  /** Clinical trial research. */
  CLINTRCH,
  /** Public health. */
  PUBHLTH,
  /** Healthcare operations. */
  HOPERAT,
  /** Healthcare quality improvement (HL7 HQUALIMP). */
  HQUALIMP,
  /** Population health (HL7 POPHLTH). */
  POPHLTH,
  /** Treatment. */
  TREAT;

  /** The HL7 code, for example {@code HRESCH}. */
  public String code() {
    return name();
  }

  /** The purpose with this HL7 code, if Salus knows it. */
  public static Optional<StudyPurpose> fromCode(String code) {
    return Arrays.stream(values()).filter(p -> p.name().equals(code)).findFirst();
  }
}
