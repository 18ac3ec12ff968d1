package org.salus.fhir.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.salus.core.pseudonym.Pseudonymizer;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.Code;
import org.salus.core.record.ConditionOccurrence;
import org.salus.core.record.Death;
import org.salus.core.record.DrugExposure;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.KnownRecords;
import org.salus.core.record.Measurement;
import org.salus.core.record.Observation;
import org.salus.core.record.ObservationPeriod;
import org.salus.core.record.Person;
import org.salus.core.record.Sex;
import org.salus.core.record.VisitOccurrence;

/**
 * A bulk export split over two NDJSON files: patients in one, their records in the other, joined
 * through {@link KnownRecords} as the store would after loading the first.
 */
class NdjsonTest {

  private static final Path DIR = Path.of("src/test/resources/ndjson");
  private static final Pseudonymizer KEYS = TestNodes.pseudonymizer("ndjson");
  private static final String P1 = KEYS.personKey("http://hospital.example.org/mrn|MRN12345");
  private static final String P2 = KEYS.personKey("Patient/pat-2");

  private static IngestContext context(KnownRecords known) {
    return IngestContext.of(KEYS, BirthPrecision.MONTH, known);
  }

  /** What the store knows once it holds the persons of a batch. */
  private static KnownRecords storeHolding(IngestBatch batch) {
    Map<String, String> persons =
        batch.records().stream()
            .filter(r -> r instanceof Person)
            .collect(Collectors.toMap(r -> r.recordKey(), r -> r.personKey()));
    return new KnownRecords() {
      @Override
      public Optional<String> personKeyOf(String personRecordKey) {
        return Optional.ofNullable(persons.get(personRecordKey));
      }

      @Override
      public boolean hasVisit(String visitRecordKey) {
        return false;
      }
    };
  }

  @Test
  void patients_become_persons_and_a_death() {
    IngestBatch batch =
        SourceReader.read(DIR.resolve("patients.ndjson"), context(KnownRecords.none()));
    assertThat(batch.records())
        .containsExactly(
            new Person(
                KEYS.recordKey("Patient/pat-1"),
                P1,
                Sex.MALE,
                LocalDate.of(1980, 5, 1),
                BirthPrecision.MONTH),
            new Person(
                KEYS.recordKey("Patient/pat-2"),
                P2,
                Sex.FEMALE,
                LocalDate.of(1975, 11, 1),
                BirthPrecision.MONTH),
            new Death(KEYS.recordKey("Patient/pat-2"), P2, LocalDate.of(2023, 1, 2)));
  }

  @Test
  void records_in_another_file_resolve_through_the_store() {
    IngestBatch patients =
        SourceReader.read(DIR.resolve("patients.ndjson"), context(KnownRecords.none()));
    IngestBatch batch =
        SourceReader.read(DIR.resolve("clinical.ndjson"), context(storeHolding(patients)));

    Optional<String> visit = Optional.of(KEYS.recordKey("Encounter/enc-1"));
    LocalDateTime bpTime = LocalDateTime.of(2024, 1, 6, 9, 0);
    assertThat(batch.records())
        .containsExactly(
            new VisitOccurrence(
                KEYS.recordKey("Encounter/enc-1"),
                P1,
                "IMP",
                Optional.of(new Code(Code.SNOMED, "32485007")),
                LocalDateTime.of(2024, 1, 5, 10, 0),
                Optional.of(LocalDateTime.of(2024, 1, 8, 12, 0))),
            new Measurement(
                KEYS.recordKey("Observation/obs-bp/component/0"),
                P1,
                visit,
                new Code(Code.LOINC, "8480-6"),
                bpTime,
                Optional.of(120.0),
                Optional.of("mm[Hg]"),
                Optional.empty()),
            new Measurement(
                KEYS.recordKey("Observation/obs-bp/component/1"),
                P1,
                visit,
                new Code(Code.LOINC, "8462-4"),
                bpTime,
                Optional.of(80.0),
                Optional.of("mm[Hg]"),
                Optional.empty()),
            new Observation(
                KEYS.recordKey("Observation/obs-smoke"),
                P2,
                Optional.empty(),
                new Code(Code.LOINC, "72166-2"),
                LocalDateTime.of(2022, 6, 1, 0, 0),
                Optional.of(new Code(Code.SNOMED, "266919005"))),
            new ConditionOccurrence(
                KEYS.recordKey("Condition/cond-1"),
                P1,
                visit,
                new Code(Code.ICD10, "E11.9"),
                LocalDate.of(2024, 1, 5),
                Optional.of(LocalDate.of(2024, 1, 7))),
            new DrugExposure(
                KEYS.recordKey("Immunization/imm-1"),
                P2,
                Optional.empty(),
                new Code(Code.CVX, "140"),
                LocalDate.of(2021, 10, 1),
                Optional.empty()),
            period(P1, LocalDate.of(2024, 1, 5), LocalDate.of(2024, 1, 8)),
            period(P2, LocalDate.of(2021, 10, 1), LocalDate.of(2022, 6, 1)));
    assertThat(batch.sourceCounts())
        .isEqualTo(
            Map.of(
                "Claim", 1,
                "Condition", 1,
                "Encounter", 1,
                "Immunization", 1,
                "Observation", 3,
                "Organization", 1));
    assertThat(batch.sources()).hasSize(7); // all but the Organization, which has no patient
  }

  @Test
  void without_the_patients_the_references_dangle() {
    IngestException e =
        catchThrowableOfType(
            IngestException.class,
            () -> SourceReader.read(DIR.resolve("clinical.ndjson"), context(KnownRecords.none())));
    assertThat(e.code()).isEqualTo("ingest.bundle.invalid-reference");
    assertThat(e.getMessage())
        .contains("clinical.ndjson line 1", "Encounter/enc-1", "Patient/pat-1");
  }

  private static ObservationPeriod period(String person, LocalDate start, LocalDate end) {
    return new ObservationPeriod(
        KEYS.recordKey("ObservationPeriod/" + person + "/" + start + "/" + end),
        person,
        start,
        end);
  }
}
