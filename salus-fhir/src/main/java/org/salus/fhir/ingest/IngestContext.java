package org.salus.fhir.ingest;

import java.util.Objects;
import java.util.Optional;
import org.salus.core.pseudonym.Pseudonymizer;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.KnownRecords;

/**
 * What reading a file needs from the node: its pseudonymizer, the birth-date precision it stores,
 * what it already holds (for references to records outside the file), and the mapping for CSV
 * files.
 */
public record IngestContext(
    Pseudonymizer pseudonymizer,
    BirthPrecision birthPrecision,
    KnownRecords knownRecords,
    Optional<CsvMapping> csvMapping) {

  public IngestContext {
    Objects.requireNonNull(pseudonymizer, "pseudonymizer");
    Objects.requireNonNull(birthPrecision, "birthPrecision");
    Objects.requireNonNull(knownRecords, "knownRecords");
    Objects.requireNonNull(csvMapping, "csvMapping");
  }

  /** A context for FHIR and HL7 v2 files, with no CSV mapping. */
  public static IngestContext of(
      Pseudonymizer pseudonymizer, BirthPrecision birthPrecision, KnownRecords knownRecords) {
    return new IngestContext(pseudonymizer, birthPrecision, knownRecords, Optional.empty());
  }
}
