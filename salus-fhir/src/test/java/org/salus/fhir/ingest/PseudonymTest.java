package org.salus.fhir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.IngestBatch;

/** Keys are stable under one node's secret and unlinkable across nodes' secrets. */
class PseudonymTest {

  private static final List<Path> SAMPLES =
      List.of(
          Path.of("src/test/resources/hl7/adt-a01-a04.hl7"),
          Path.of("src/test/resources/hl7/oru-r01.hl7"));

  private static Set<String> personKeys(String secret) throws Exception {
    List<Path> files = new java.util.ArrayList<>(SyntheaPopulation.files());
    files.addAll(SAMPLES);
    IngestContext context = TestNodes.context(secret);
    return files.stream()
        .map(f -> SourceReader.read(f, context))
        .flatMap(b -> b.records().stream())
        .map(ClinicalRecord::personKey)
        .collect(Collectors.toSet());
  }

  private static Set<String> recordKeys(String secret) throws Exception {
    IngestBatch batch =
        SourceReader.read(SyntheaPopulation.files().get(0), TestNodes.context(secret));
    return batch.records().stream().map(ClinicalRecord::recordKey).collect(Collectors.toSet());
  }

  @Test
  void the_same_secret_gives_the_same_person_keys() throws Exception {
    Set<String> first = personKeys("node-a");
    assertThat(first).hasSize(4 + 2); // four Synthea patients, two HL7 patients
    assertThat(personKeys("node-a")).isEqualTo(first);
  }

  @Test
  void different_secrets_give_disjoint_person_and_record_keys() throws Exception {
    Set<String> a = personKeys("node-a");
    Set<String> b = personKeys("node-b");
    assertThat(b).hasSameSizeAs(a).doesNotContainAnyElementsOf(a);
    assertThat(recordKeys("node-b")).doesNotContainAnyElementsOf(recordKeys("node-a"));
    assertThat(recordKeys("node-a")).isEqualTo(recordKeys("node-a"));
  }
}
