package org.salus.store;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.Code;
import org.salus.core.record.ConditionOccurrence;
import org.salus.core.record.Death;
import org.salus.core.record.DrugExposure;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Measurement;
import org.salus.core.record.Observation;
import org.salus.core.record.ObservationPeriod;
import org.salus.core.record.Person;
import org.salus.core.record.ProcedureOccurrence;
import org.salus.core.record.Sex;
import org.salus.core.record.SourceDocument;
import org.salus.core.record.VisitOccurrence;

/** Hand-built ingest batches for the store tests. */
final class Batches {

  private Batches() {}

  static final String PATIENT_JSON =
      "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Oddname\"}]}";

  /** One person with a row in every analytic table, and two source documents. */
  static IngestBatch everyTable() {
    List<ClinicalRecord> records =
        List.of(
            new Person("rk-p1", "pk-1", Sex.FEMALE, LocalDate.of(1956, 3, 1), BirthPrecision.MONTH),
            new ObservationPeriod(
                "rk-op1", "pk-1", LocalDate.of(2020, 1, 1), LocalDate.of(2024, 6, 30)),
            new VisitOccurrence(
                "rk-v1",
                "pk-1",
                "AMB",
                Optional.of(new Code(Code.SNOMED, "185349003")),
                LocalDateTime.of(2021, 5, 4, 9, 30),
                Optional.of(LocalDateTime.of(2021, 5, 4, 10, 15))),
            new ConditionOccurrence(
                "rk-c1",
                "pk-1",
                Optional.of("rk-v1"),
                new Code(Code.ICD10_CM, "E11.9"),
                LocalDate.of(2021, 5, 4),
                Optional.empty()),
            new DrugExposure(
                "rk-d1",
                "pk-1",
                Optional.empty(),
                new Code(Code.RXNORM, "860975"),
                LocalDate.of(2021, 5, 4),
                Optional.of(LocalDate.of(2021, 8, 4))),
            new ProcedureOccurrence(
                "rk-pr1",
                "pk-1",
                Optional.of("rk-v1"),
                new Code(Code.SNOMED, "430193006"),
                LocalDate.of(2021, 5, 4)),
            new Measurement(
                "rk-m1",
                "pk-1",
                Optional.of("rk-v1"),
                new Code(Code.LOINC, "4548-4"),
                LocalDateTime.of(2021, 5, 4, 9, 45, 12),
                Optional.of(7.25),
                Optional.of("%"),
                Optional.empty()),
            new Measurement(
                "rk-m2",
                "pk-1",
                Optional.empty(),
                new Code(Code.LOINC, "5778-6"),
                LocalDateTime.of(2021, 5, 4, 9, 46),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new Code(Code.SNOMED, "371254008"))),
            new Observation(
                "rk-o1",
                "pk-1",
                Optional.of("rk-v1"),
                new Code(Code.CVX, "140"),
                LocalDateTime.of(2021, 10, 1, 8, 0),
                Optional.of(new Code("urn:example:answers", "yes"))),
            new Death("rk-p1", "pk-1", LocalDate.of(2024, 6, 30)));
    List<SourceDocument> sources =
        List.of(
            new SourceDocument(
                "Patient", "rk-p1", "pk-1", PATIENT_JSON.getBytes(StandardCharsets.UTF_8)),
            new SourceDocument(
                "Observation",
                "rk-m1",
                "pk-1",
                "{\"resourceType\":\"Observation\"}".getBytes(StandardCharsets.UTF_8)));
    TreeMap<String, Integer> counts = new TreeMap<>();
    counts.put("Patient", 1);
    counts.put("Observation", 3);
    return new IngestBatch(records, sources, counts);
  }

  /** The batch with {@code extra} appended to its records. */
  static IngestBatch plus(IngestBatch batch, ClinicalRecord... extra) {
    List<ClinicalRecord> records = new ArrayList<>(batch.records());
    records.addAll(List.of(extra));
    return new IngestBatch(records, batch.sources(), new TreeMap<>(batch.sourceCounts()));
  }

  static IngestBatch persons(Person... persons) {
    return new IngestBatch(List.of(persons), List.of(), new TreeMap<>());
  }

  static String sha(char c) {
    return String.valueOf(c).repeat(64);
  }
}
