package org.salus.core.consent;

import java.util.Optional;

/**
 * Purpose of use, from HL7 v3 PurposeOfUse ({@code
 * http://terminology.hl7.org/CodeSystem/v3-ActReason}). Salus treats the codes as flat: a
 * permission for {@code TREAT} does not imply {@code ETREAT}; emergency access has its own path
 * ({@link EmergencyAccess}).
 */
public enum Purpose {
  TREAT("treatment"),
  ETREAT("emergency treatment"),
  HRESCH("healthcare research"),
  CLINTRCH("clinical trial research"),
  PUBHLTH("public health"),
  HOPERAT("healthcare operations"),
  HQUALIMP("healthcare quality improvement"),
  HPAYMT("healthcare payment"),
  HMARKT("healthcare marketing"),
  PATRQT("patient requested"),
  HDIRECT("directory");

  /** The code system of every purpose. */
  public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

  private final String display;

  Purpose(String display) {
    this.display = display;
  }

  /** The HL7 v3 code, for example {@code HRESCH}. */
  public String code() {
    return name();
  }

  /** A plain-language name for people. */
  public String display() {
    return display;
  }

  public static Optional<Purpose> fromCode(String code) {
    for (Purpose p : values()) {
      if (p.name().equals(code)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
