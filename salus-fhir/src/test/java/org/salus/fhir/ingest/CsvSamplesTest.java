package org.salus.fhir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.salus.core.record.ObservationPeriod;
import org.salus.core.record.Person;
import org.salus.core.record.Sex;

/** The CSV samples under src/test/resources/csv land as the records written out here. */
class CsvSamplesTest {

  private static final Path DIR = Path.of("src/test/resources/csv");
  private static final Pseudonymizer KEYS = TestNodes.pseudonymizer("csv");
  private static final String MRN = "http://hospital.example.org/mrn|";
  private static final String ZEBULON = KEYS.personKey(MRN + "MRN12345");
  private static final String SANCHO = KEYS.personKey(MRN + "MRN67890");

  private static IngestContext context(String mapping) {
    return new IngestContext(
        KEYS,
        BirthPrecision.MONTH,
        KnownRecords.none(),
        Optional.of(CsvMapping.read(DIR.resolve(mapping))));
  }

  private static IngestBatch read(String name) {
    return SourceReader.read(DIR.resolve(name + ".csv"), context(name + ".mapping.json"));
  }

  @Test
  void lab_results_become_measurements_with_quoted_free_text_dropped() {
    IngestBatch batch = read("labs");
    assertThat(batch.records())
        .containsExactly(
            lab("R-1", ZEBULON, "2093-3", LocalDateTime.of(2024, 3, 1, 7, 55), 185.5, "mg/dL"),
            lab("R-2", ZEBULON, "2571-8", LocalDateTime.of(2024, 3, 2, 0, 0), 150.0, "mg/dL"),
            lab("R-3", SANCHO, "718-7", LocalDateTime.of(2024, 3, 5, 10, 0), 13.2, "g/dL"),
            period(ZEBULON, LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 2)),
            period(SANCHO, LocalDate.of(2024, 3, 5), LocalDate.of(2024, 3, 5)));
    assertThat(batch.sourceCounts()).isEqualTo(Map.of("CSV:measurement", 3));
    assertThat(batch.sources()).hasSize(3);
    assertThat(batch.records())
        .allSatisfy(r -> assertThat(RecordText.of(r)).doesNotContain("Zebulon", "fasting"));
  }

  @Test
  void a_person_file_with_its_own_delimiter_and_date_format() {
    IngestBatch batch = read("patients");
    String zebulonKey = KEYS.recordKey("CSV/registry/person/MRN12345");
    String sanchoKey = KEYS.recordKey("CSV/registry/person/MRN67890");
    assertThat(batch.records())
        .containsExactly(
            new Person(
                zebulonKey, ZEBULON, Sex.MALE, LocalDate.of(1980, 5, 1), BirthPrecision.MONTH),
            new Person(
                sanchoKey, SANCHO, Sex.FEMALE, LocalDate.of(1975, 11, 1), BirthPrecision.MONTH),
            new Death(sanchoKey, SANCHO, LocalDate.of(2023, 1, 2)));
    assertThat(batch.sourceCounts()).isEqualTo(Map.of("CSV:person", 2));
  }

  @Test
  void diagnoses_and_drugs() {
    String key1 =
        KEYS.recordKey(
            "CSV/problem-list/condition_occurrence/code=E11.9\u001fdate=2019-06-01\u001f"
                + "endDate=\u001fpersonId=MRN12345\u001f");
    IngestBatch conditions = read("diagnoses");
    assertThat(conditions.records())
        .startsWith(
            new ConditionOccurrence(
                key1,
                ZEBULON,
                Optional.empty(),
                new Code(Code.ICD10, "E11.9"),
                LocalDate.of(2019, 6, 1),
                Optional.empty()),
            new ConditionOccurrence(
                conditions.records().get(1).recordKey(),
                SANCHO,
                Optional.empty(),
                new Code(Code.ICD10, "J45.909"),
                LocalDate.of(2010, 1, 15),
                Optional.of(LocalDate.of(2015, 3, 1))));
    assertThat(conditions.recordCounts())
        .containsEntry(org.salus.core.record.AnalyticTable.OBSERVATION_PERIOD, 2);

    IngestBatch drugs = read("drugs");
    assertThat(drugs.records().get(0))
        .isEqualTo(
            new DrugExposure(
                drugs.records().get(0).recordKey(),
                ZEBULON,
                Optional.empty(),
                new Code(Code.RXNORM, "860975"),
                LocalDate.of(2020, 1, 1),
                Optional.of(LocalDate.of(2020, 6, 30))));
  }

  @Test
  void row_identity_does_not_depend_on_the_file_or_row_order() throws Exception {
    byte[] original = Files.readAllBytes(DIR.resolve("diagnoses.csv"));
    List<String> lines =
        new String(original, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    byte[] reordered =
        (lines.get(0) + "\n" + lines.get(2) + "\n" + lines.get(1) + "\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    IngestContext context = context("diagnoses.mapping.json");
    IngestBatch a = SourceReader.read("diagnoses.csv", original, context);
    IngestBatch b = SourceReader.read("other-export-2025.csv", reordered, context);
    assertThat(b.records()).containsExactlyInAnyOrderElementsOf(a.records());
  }

  private static Measurement lab(
      String id, String person, String loinc, LocalDateTime time, double value, String unit) {
    return new Measurement(
        KEYS.recordKey("CSV/lab-feed/measurement/" + id),
        person,
        Optional.empty(),
        new Code(Code.LOINC, loinc),
        time,
        Optional.of(value),
        Optional.of(unit),
        Optional.empty());
  }

  private static ObservationPeriod period(String person, LocalDate start, LocalDate end) {
    return new ObservationPeriod(
        KEYS.recordKey("ObservationPeriod/" + person + "/" + start + "/" + end),
        person,
        start,
        end);
  }
}
