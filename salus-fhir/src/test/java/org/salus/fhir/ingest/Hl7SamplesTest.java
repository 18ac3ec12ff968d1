package org.salus.fhir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salus.core.pseudonym.Pseudonymizer;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.Code;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Measurement;
import org.salus.core.record.ObservationPeriod;
import org.salus.core.record.Person;
import org.salus.core.record.Sex;
import org.salus.core.record.VisitOccurrence;

/** The HL7 v2 samples under src/test/resources/hl7 land as the records written out here. */
class Hl7SamplesTest {

  private static final Pseudonymizer KEYS = TestNodes.pseudonymizer("hl7");
  private static final String ZEBULON = KEYS.personKey("GENHOSP|MRN12345");
  private static final String SANCHO = KEYS.personKey("GENHOSP|MRN67890");

  private static IngestBatch read(String name) {
    return SourceReader.read(Path.of("src/test/resources/hl7", name), TestNodes.context("hl7"));
  }

  @Test
  void adt_a01_a04_and_a08_give_persons_visits_and_periods() {
    IngestBatch batch = read("adt-a01-a04.hl7");

    assertThat(batch.records())
        .containsExactly(
            new Person(
                KEYS.recordKey("HL7v2/PID/GENHOSP|MRN12345"),
                ZEBULON,
                Sex.MALE,
                LocalDate.of(1980, 5, 1),
                BirthPrecision.MONTH),
            new VisitOccurrence(
                KEYS.recordKey("HL7v2/PV1/VN0001"),
                ZEBULON,
                "IMP",
                Optional.empty(),
                LocalDateTime.of(2024, 1, 5, 10, 0),
                Optional.of(LocalDateTime.of(2024, 1, 8, 12, 0))),
            new Person(
                KEYS.recordKey("HL7v2/PID/GENHOSP|MRN67890"),
                SANCHO,
                Sex.FEMALE,
                LocalDate.of(1975, 11, 1),
                BirthPrecision.MONTH),
            new VisitOccurrence(
                KEYS.recordKey("HL7v2/PV1/VN0002"),
                SANCHO,
                "AMB",
                Optional.empty(),
                LocalDateTime.of(2024, 2, 10, 9, 15),
                Optional.empty()),
            period(ZEBULON, LocalDate.of(2024, 1, 5), LocalDate.of(2024, 1, 8)),
            period(SANCHO, LocalDate.of(2024, 2, 10), LocalDate.of(2024, 2, 10)));
    // The A08 repeats the first patient and visit: no new rows, but it is counted and kept.
    assertThat(batch.sourceCounts())
        .isEqualTo(Map.of("HL7v2:ADT^A01", 1, "HL7v2:ADT^A04", 1, "HL7v2:ADT^A08", 1));
    assertThat(batch.sources()).hasSize(3);
    assertThat(batch.sources().get(2).personKey()).isEqualTo(ZEBULON);
    assertThat(batch.sources().get(0).recordKey()).isEqualTo(KEYS.recordKey("HL7v2/MSG0001"));
    assertThat(batch.sources().get(1).personKey()).isEqualTo(SANCHO);
    assertThat(new String(batch.sources().get(1).content(), StandardCharsets.UTF_8))
        .startsWith("MSH|^~\\&|HIS|GENERAL|SALUS|NODE|20240210090000||ADT^A04|MSG0002")
        .doesNotContain("MSG0001");
  }

  @Test
  void oru_r01_gives_numeric_and_coded_measurements_and_drops_text() {
    IngestBatch batch = read("oru-r01.hl7");

    assertThat(batch.records())
        .containsExactly(
            new Person(
                KEYS.recordKey("HL7v2/PID/GENHOSP|MRN12345"),
                ZEBULON,
                Sex.MALE,
                LocalDate.of(1980, 5, 1),
                BirthPrecision.MONTH),
            new Measurement(
                KEYS.recordKey("HL7v2/LAB0001/3"),
                ZEBULON,
                Optional.empty(),
                new Code(Code.LOINC, "2093-3"),
                LocalDateTime.of(2024, 3, 1, 7, 55),
                Optional.of(185.5),
                Optional.of("mg/dL"),
                Optional.empty()),
            new Measurement(
                KEYS.recordKey("HL7v2/LAB0001/4"),
                ZEBULON,
                Optional.empty(),
                new Code(Code.LOINC, "882-1"),
                LocalDateTime.of(2024, 3, 1, 7, 30),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new Code(Code.SNOMED, "278149003"))),
            new Measurement(
                KEYS.recordKey("HL7v2/LAB0001/6"),
                ZEBULON,
                Optional.empty(),
                new Code(Code.LOINC, "2571-8"),
                LocalDateTime.of(2024, 3, 1, 7, 30),
                Optional.of(150.0),
                Optional.of("mg/dL"),
                Optional.empty()),
            period(ZEBULON, LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 1)));
    assertThat(batch.sourceCounts()).isEqualTo(Map.of("HL7v2:ORU^R01", 1));
  }

  @Test
  void oru_text_results_never_reach_the_analytic_records() {
    IngestBatch batch = read("oru-r01.hl7");
    assertThat(batch.records())
        .allSatisfy(r -> assertThat(RecordText.of(r)).doesNotContain("Zebulon", "fasting"));
  }

  private static ObservationPeriod period(String person, LocalDate start, LocalDate end) {
    return new ObservationPeriod(
        KEYS.recordKey("ObservationPeriod/" + person + "/" + start + "/" + end),
        person,
        start,
        end);
  }
}
