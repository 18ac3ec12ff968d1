package org.salus.core.consent;

import java.util.Optional;

/**
 * What a requester does with data ({@code Consent.provision.action}, code system {@code
 * http://terminology.hl7.org/CodeSystem/consentaction}). Reads and searches are {@link #ACCESS},
 * study computations {@link #USE}, write-back {@link #CORRECT}.
 */
public enum ConsentAction {
  COLLECT("collect"),
  ACCESS("access"),
  USE("use"),
  DISCLOSE("disclose"),
  CORRECT("correct");

  public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/consentaction";

  private final String code;

  ConsentAction(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<ConsentAction> fromCode(String code) {
    for (ConsentAction a : values()) {
      if (a.code.equals(code)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
