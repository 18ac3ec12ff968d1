package org.salus.core.consent;

import java.util.Optional;

/**
 * Sensitivity labels carried by records ({@code meta.security}) and named by provisions ({@code
 * Consent.provision.securityLabel}). Codes are HL7 v3 ActCode information-sensitivity policies
 * ({@code http://terminology.hl7.org/CodeSystem/v3-ActCode}, the _InformationSensitivityPolicy
 * branch): PSY psychiatry disorder, MH mental health, ETH substance abuse, SUD substance use
 * disorder, SEX sexuality and reproductive health, STD sexually transmitted disease, HIV, GDIS
 * genetic disease, SDV sexual assault, abuse or domestic violence.
 */
public enum SecurityLabel {
  PSY(SensitiveCategory.MENTAL_HEALTH),
  MH(SensitiveCategory.MENTAL_HEALTH),
  ETH(SensitiveCategory.SUBSTANCE_USE),
  SUD(SensitiveCategory.SUBSTANCE_USE),
  SEX(SensitiveCategory.SEXUAL_HEALTH),
  STD(SensitiveCategory.SEXUAL_HEALTH),
  HIV(SensitiveCategory.SEXUAL_HEALTH),
  GDIS(SensitiveCategory.GENETICS),
  SDV(SensitiveCategory.VIOLENCE);

  /** The code system of every label. */
  public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  private final SensitiveCategory category;

  SecurityLabel(SensitiveCategory category) {
    this.category = category;
  }

  public String code() {
    return name();
  }

  public SensitiveCategory category() {
    return category;
  }

  public static Optional<SecurityLabel> fromCode(String code) {
    for (SecurityLabel l : values()) {
      if (l.name().equals(code)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }
}
