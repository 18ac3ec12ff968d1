package org.salus.core.record;

import java.util.Objects;

/**
 * An original source record exactly as received (a FHIR resource as JSON, an HL7 v2 message, a CSV
 * row), to be kept encrypted at the node for record access. Holds health data, so it is not a
 * record: {@link #toString()} never prints the content.
 */
public final class SourceDocument {

  private final String sourceType;
  private final String recordKey;
  private final String personKey;
  private final byte[] content;

  /**
   * @param sourceType the FHIR resource type ({@code Observation}) or message type ({@code
   *     HL7v2:ORU^R01}, {@code CSV:measurement})
   * @param recordKey the pseudonymous key of this source record
   * @param personKey the pseudonymous key of the person it belongs to
   * @param content the original bytes (UTF-8 JSON for FHIR)
   */
  public SourceDocument(String sourceType, String recordKey, String personKey, byte[] content) {
    this.sourceType = Objects.requireNonNull(sourceType, "sourceType");
    this.recordKey = Objects.requireNonNull(recordKey, "recordKey");
    this.personKey = Objects.requireNonNull(personKey, "personKey");
    this.content = Objects.requireNonNull(content, "content").clone();
  }

  public String sourceType() {
    return sourceType;
  }

  public String recordKey() {
    return recordKey;
  }

  public String personKey() {
    return personKey;
  }

  /** A copy of the original bytes. */
  public byte[] content() {
    return content.clone();
  }

  @Override
  public String toString() {
    return "SourceDocument[" + sourceType + ", " + content.length + " bytes, content redacted]";
  }
}
