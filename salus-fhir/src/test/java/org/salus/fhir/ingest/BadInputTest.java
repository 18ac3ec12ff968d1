package org.salus.fhir.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.salus.core.record.BirthPrecision;
import org.salus.core.record.KnownRecords;

/**
 * Every file under src/test/resources/bad fails with its expected code, a message naming the file
 * and the place, and none of the patient data planted in it. One case per file, so a run reports
 * every failing case.
 */
class BadInputTest {

  private static final Path DIR = Path.of("src/test/resources/bad");

  /** Patient data planted in the files; no message may hold any of it. */
  private static final List<String> PLANTED =
      List.of("Zebulon", "Quixote", "MRN-ZQ-777", "1980", "Windmill", "Mancha", "knight", "eighty");

  record Expected(String code, List<String> fragments) {}

  private static Expected expect(String code, String... fragments) {
    return new Expected(code, List.of(fragments));
  }

  private static final Map<String, Expected> EXPECTED =
      Map.ofEntries(
          Map.entry(
              "bundle-dangling-reference.json",
              expect(
                  "ingest.bundle.invalid-reference",
                  "entry 2",
                  "Observation/33333333",
                  "Observation.subject",
                  "Patient/nobody-here")),
          Map.entry(
              "bundle-dangling-urn-uuid-reference.json",
              expect(
                  "ingest.bundle.invalid-reference",
                  "entry 3",
                  "Condition/44444444",
                  "Condition.subject",
                  "urn:uuid:99999999")),
          Map.entry(
              "bundle-dangling-encounter-reference.json",
              expect(
                  "ingest.bundle.invalid-reference",
                  "entry 2",
                  "Observation.encounter",
                  "Encounter/not-in-file")),
          Map.entry("bundle-truncated-json.json", expect("ingest.json.malformed", "line ")),
          Map.entry("empty-file.json", expect("ingest.file.empty", "empty")),
          Map.entry(
              "bundle-unknown-resource-type.json",
              expect("ingest.resource.unknown-type", "entry 1", "Encountre")),
          Map.entry(
              "bundle-unparseable-date.json",
              expect("ingest.date.unparseable", "entry 3", "Condition/44444444", "onset")),
          Map.entry(
              "bundle-unparseable-birth-date.json",
              expect("ingest.date.unparseable", "entry 0", "Patient/11111111", "birthDate")),
          Map.entry(
              "bundle-unparseable-effective-time.json",
              expect("ingest.date.unparseable", "entry 2", "Observation/33333333", "effective")),
          Map.entry(
              "bundle-observation-missing-subject.json",
              expect("ingest.reference.missing", "entry 2", "Observation.subject")),
          Map.entry(
              "bundle-top-level-not-a-bundle.json",
              expect("ingest.bundle.not-a-bundle", "Patient", "Bundle")),
          Map.entry(
              "bundle-entry-without-resource-type.json",
              expect("ingest.resource.missing-type", "entry 1")),
          Map.entry(
              "bundle-entry-without-resource.json",
              expect("ingest.bundle.entry-without-resource", "entry 1")),
          Map.entry(
              "bundle-duplicate-ids.json",
              expect("ingest.resource.duplicate-id", "entry 4", "Observation/33333333")),
          Map.entry(
              "bundle-bad-gender-code.json",
              expect("ingest.value.invalid", "entry 0", "Patient/11111111", "gender")),
          Map.entry(
              "bundle-non-numeric-quantity.json",
              expect("ingest.value.invalid", "entry 2", "Observation/33333333", "value")),
          Map.entry(
              "bundle-unsupported-bundle-type.json",
              expect("ingest.bundle.unsupported-type", "Bundle.type")),
          Map.entry(
              "bundle-patient-without-birth-date.json",
              expect("ingest.field.missing", "entry 0", "Patient.birthDate")),
          Map.entry(
              "bundle-condition-without-code.json",
              expect("ingest.field.missing", "entry 3", "Condition.code")),
          Map.entry(
              "bundle-resource-without-id.json",
              expect("ingest.resource.missing-id", "entry 3", "Condition")),
          Map.entry(
              "bundle-encounter-without-start.json",
              expect("ingest.field.missing", "entry 1", "Encounter.period.start")),
          Map.entry(
              "bundle-subject-refers-to-practitioner.json",
              expect(
                  "ingest.bundle.invalid-reference",
                  "entry 3",
                  "Condition.subject",
                  "Practitioner/dr-who")),
          Map.entry("bundle-without-entries.json", expect("ingest.file.empty", "no entries")),
          Map.entry("ndjson-line-3-not-json.ndjson", expect("ingest.json.malformed", "line 3")),
          Map.entry(
              "ndjson-line-2-unknown-resource-type.ndjson",
              expect("ingest.resource.unknown-type", "line 2", "Encountre")),
          Map.entry("ndjson-line-2-bundle.ndjson", expect("ingest.ndjson.bundle", "line 2")),
          Map.entry(
              "ndjson-line-2-dangling-reference.ndjson",
              expect(
                  "ingest.bundle.invalid-reference",
                  "line 2",
                  "Observation/33333333",
                  "Patient/somebody-else")),
          Map.entry("hl7-missing-msh.hl7", expect("ingest.hl7.missing-msh", "line 1", "MSH")),
          Map.entry(
              "hl7-unsupported-event.hl7",
              expect("ingest.hl7.unsupported-event", "line 1", "ADT^A03")),
          Map.entry("hl7-broken-pid-segment.hl7", expect("ingest.hl7.segment", "line 2", "PID-3")),
          Map.entry(
              "hl7-unparseable-birth-date.hl7",
              expect("ingest.date.unparseable", "line 2", "PID-7")),
          Map.entry("hl7-missing-pid.hl7", expect("ingest.hl7.segment", "line 1", "PID")),
          Map.entry(
              "hl7-non-numeric-nm-value.hl7",
              expect("ingest.value.invalid", "line 4", "OBX", "OBX-5")),
          Map.entry("hl7-bad-sex-code.hl7", expect("ingest.value.invalid", "line 2", "PID-8")),
          Map.entry("hl7-garbage-line.hl7", expect("ingest.hl7.segment", "line 3")),
          Map.entry("hl7-missing-control-id.hl7", expect("ingest.hl7.segment", "MSH-10")),
          Map.entry(
              "hl7-duplicate-control-id.hl7",
              expect("ingest.hl7.duplicate-control-id", "line 3", "MSH-10")),
          Map.entry(
              "hl7-obx-without-identifier.hl7", expect("ingest.hl7.segment", "line 4", "OBX-3")),
          Map.entry(
              "csv-wrong-column-count.csv",
              expect("ingest.csv.column-count", "line 3", "7 fields", "header has 6")),
          Map.entry("csv-missing-header.csv", expect("ingest.csv.header-missing", "line 1")),
          Map.entry(
              "csv-unknown-column-in-mapping.csv",
              expect("ingest.csv.column", "line 1", "date", "taken_on")),
          Map.entry(
              "csv-unparseable-date.csv",
              expect("ingest.date.unparseable", "line 2", "date", "taken_at")),
          Map.entry(
              "csv-non-numeric-value.csv",
              expect("ingest.value.invalid", "line 2", "value", "not a number")),
          Map.entry("csv-without-mapping.csv", expect("ingest.csv.mapping-missing", "mapping")),
          Map.entry("csv-unclosed-quote.csv", expect("ingest.csv.quote", "line 2")),
          Map.entry(
              "csv-empty-person-id.csv", expect("ingest.field.missing", "line 2", "personId")),
          Map.entry(
              "csv-mapping-unknown-table.csv",
              expect("ingest.csv.mapping", "csv-mapping-unknown-table.mapping.json", "table")),
          Map.entry(
              "unknown-format.txt", expect("ingest.format.unknown", "not a FHIR JSON bundle")));

  static Stream<String> badFiles() throws IOException {
    try (Stream<Path> list = Files.list(DIR)) {
      return list
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".mapping.json") && !n.equals("README.md"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void every_bad_file_has_an_expectation_and_every_expectation_a_file() throws IOException {
    assertThat(new TreeSet<>(badFiles().toList())).isEqualTo(new TreeSet<>(EXPECTED.keySet()));
    assertThat(EXPECTED.values().stream().map(Expected::code).distinct().count())
        .isGreaterThanOrEqualTo(24);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void fails_with_its_code_and_a_clean_message(String name) {
    Expected expected = EXPECTED.get(name);
    assertThat(expected).as("expectation for " + name).isNotNull();

    IngestException e = catchThrowableOfType(IngestException.class, () -> read(name));

    assertThat(e).as(name + " must fail").isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo(expected.code());
    assertThat(e.getMessage()).contains(expected.fragments());
    if (!name.startsWith("csv-mapping-")) {
      assertThat(e.getMessage()).contains(name);
    }
    assertThat(e.getMessage()).doesNotContainIgnoringCase(PLANTED.get(0));
    for (String planted : PLANTED) {
      assertThat(e.getMessage()).as("planted data in the message").doesNotContain(planted);
    }
    assertThat(e.getCause()).as("library messages are not forwarded").isNull();
  }

  private static Object read(String name) {
    Optional<CsvMapping> mapping = Optional.empty();
    if (name.endsWith(".csv") && !name.equals("csv-without-mapping.csv")) {
      Path own = DIR.resolve(name.replace(".csv", ".mapping.json"));
      mapping =
          Optional.of(CsvMapping.read(Files.exists(own) ? own : DIR.resolve("_labs.mapping.json")));
    }
    IngestContext context =
        new IngestContext(
            TestNodes.pseudonymizer("bad"), BirthPrecision.MONTH, KnownRecords.none(), mapping);
    return SourceReader.read(DIR.resolve(name), context);
  }
}
