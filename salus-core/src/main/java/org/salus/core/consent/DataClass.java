package org.salus.core.consent;

import java.util.Optional;

/**
 * The classes of data a provision or a grant covers ({@code Consent.provision.class}). Each class
 * is one FHIR resource type except the patient summary, which is the International Patient Summary
 * document ({@code Patient/$summary}) as a whole.
 */
public enum DataClass {
  PATIENT_SUMMARY("patient-summary", "Composition", "patient summary"),
  DEMOGRAPHICS("demographics", "Patient", "demographics"),
  ALLERGIES("allergies", "AllergyIntolerance", "allergies"),
  MEDICATIONS("medications", "MedicationStatement", "medications"),
  PROBLEMS("problems", "Condition", "problems and diagnoses"),
  RESULTS("results", "Observation", "results and observations"),
  PROCEDURES("procedures", "Procedure", "procedures"),
  IMMUNIZATIONS("immunizations", "Immunization", "immunizations"),
  ENCOUNTERS("encounters", "Encounter", "visits");

  /** Salus's code system for data classes. */
  public static final String SYSTEM = "https://salus.example.org/fhir/CodeSystem/data-class";

  /** FHIR's code system for resource types, also accepted in {@code Consent.provision.class}. */
  public static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

  private final String code;
  private final String resourceType;
  private final String display;

  DataClass(String code, String resourceType, String display) {
    this.code = code;
    this.resourceType = resourceType;
    this.display = display;
  }

  public String code() {
    return code;
  }

  /** The FHIR resource type whose instances belong to this class. */
  public String resourceType() {
    return resourceType;
  }

  public String display() {
    return display;
  }

  /** The class with this code in {@link #SYSTEM}. */
  public static Optional<DataClass> fromCode(String code) {
    for (DataClass c : values()) {
      if (c.code.equals(code)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The class of a FHIR resource type, for example {@code Condition} to {@link #PROBLEMS}. */
  public static Optional<DataClass> fromResourceType(String resourceType) {
    for (DataClass c : values()) {
      if (c.resourceType.equals(resourceType)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
