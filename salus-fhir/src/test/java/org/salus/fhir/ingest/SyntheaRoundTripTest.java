package org.salus.fhir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.IngestBatch;

/**
 * A generated Synthea population read whole: table counts equal counts computed here from the raw
 * JSON with Jackson under the rules of docs/ingest.md, and no analytic record holds a name,
 * address, telecom or identifier value of the patients.
 */
class SyntheaRoundTripTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DRUG_TYPES =
      Set.of(
          "MedicationRequest", "MedicationStatement", "MedicationAdministration", "Immunization");

  private static List<Path> files;
  private static final List<IngestBatch> batches = new ArrayList<>();

  @BeforeAll
  static void readPopulation() throws Exception {
    files = SyntheaPopulation.files();
    IngestContext context = TestNodes.context("round-trip");
    for (Path f : files) {
      batches.add(SourceReader.read(f, context));
    }
  }

  @Test
  void population_has_four_patients() {
    assertThat(files).hasSize(4);
  }

  @Test
  void table_counts_equal_counts_from_the_raw_json() throws Exception {
    Map<AnalyticTable, Integer> expected = new EnumMap<>(AnalyticTable.class);
    Map<AnalyticTable, Integer> actual = new EnumMap<>(AnalyticTable.class);
    for (int i = 0; i < files.size(); i++) {
      JsonNode bundle = JSON.readTree(files.get(i).toFile());
      expectedCounts(bundle).forEach((t, n) -> expected.merge(t, n, Integer::sum));
      batches.get(i).recordCounts().forEach((t, n) -> actual.merge(t, n, Integer::sum));
    }
    assertThat(expected.get(AnalyticTable.PERSON)).isEqualTo(4);
    assertThat(expected.get(AnalyticTable.MEASUREMENT)).isGreaterThan(10);
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void source_counts_and_documents_match_the_raw_json() throws Exception {
    for (int i = 0; i < files.size(); i++) {
      JsonNode bundle = JSON.readTree(files.get(i).toFile());
      Map<String, Integer> byType = new TreeMap<>();
      Set<String> patientUrls = new HashSet<>();
      for (JsonNode e : bundle.path("entry")) {
        String type = e.path("resource").path("resourceType").asText();
        byType.merge(type, 1, Integer::sum);
        if (type.equals("Patient")) {
          patientUrls.add(e.path("fullUrl").asText());
          patientUrls.add("Patient/" + e.path("resource").path("id").asText());
        }
      }
      int owned = 0;
      for (JsonNode e : bundle.path("entry")) {
        JsonNode r = e.path("resource");
        if (r.path("resourceType").asText().equals("Patient")) {
          owned++;
          continue;
        }
        for (String field : List.of("subject", "patient", "beneficiary")) {
          if (patientUrls.contains(r.path(field).path("reference").asText())) {
            owned++;
            break;
          }
        }
      }
      IngestBatch batch = batches.get(i);
      assertThat(batch.sourceCounts()).as(files.get(i).toString()).isEqualTo(byType);
      assertThat(batch.sources()).as(files.get(i).toString()).hasSize(owned);
    }
  }

  @Test
  void no_analytic_record_holds_names_addresses_telecom_or_identifiers() throws Exception {
    Set<String> identifying = new HashSet<>();
    for (Path f : files) {
      for (JsonNode e : JSON.readTree(f.toFile()).path("entry")) {
        JsonNode r = e.path("resource");
        if (r.path("resourceType").asText().equals("Patient")) {
          collectIdentifying(r, identifying);
        }
      }
    }
    assertThat(identifying).hasSizeGreaterThan(20);
    List<String> leaks = new ArrayList<>();
    for (IngestBatch batch : batches) {
      for (ClinicalRecord record : batch.records()) {
        String text = RecordText.of(record);
        for (String s : identifying) {
          if (RecordText.containsToken(text, s)) {
            leaks.add(record.table() + " holds '" + s + "'");
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static void collectIdentifying(JsonNode patient, Set<String> out) {
    for (JsonNode name : patient.path("name")) {
      name.path("given").forEach(g -> add(out, g.asText()));
      add(out, name.path("family").asText());
      name.path("prefix").forEach(g -> add(out, g.asText()));
    }
    for (JsonNode address : patient.path("address")) {
      address.path("line").forEach(l -> add(out, l.asText()));
      add(out, address.path("city").asText());
      add(out, address.path("postalCode").asText());
    }
    patient.path("telecom").forEach(t -> add(out, t.path("value").asText()));
    patient.path("identifier").forEach(t -> add(out, t.path("value").asText()));
    add(out, patient.path("id").asText());
  }

  /** Strings of four characters or more: shorter ones (a prefix "Mr.") match by chance. */
  private static void add(Set<String> out, String s) {
    if (s.length() >= 4) {
      out.add(s);
    }
  }

  /** Table counts for one bundle under the documented rules, from the raw JSON. */
  static Map<AnalyticTable, Integer> expectedCounts(JsonNode bundle) {
    Map<AnalyticTable, Integer> counts = new EnumMap<>(AnalyticTable.class);
    boolean anyClinical = false;
    for (JsonNode e : bundle.path("entry")) {
      JsonNode r = e.path("resource");
      String type = r.path("resourceType").asText();
      AnalyticTable table = null;
      if (type.equals("Patient")) {
        counts.merge(AnalyticTable.PERSON, 1, Integer::sum);
        if (r.has("deceasedDateTime")) {
          counts.merge(AnalyticTable.DEATH, 1, Integer::sum);
        }
      } else if (type.equals("Encounter")) {
        table = AnalyticTable.VISIT_OCCURRENCE;
      } else if (type.equals("Condition")) {
        table = AnalyticTable.CONDITION_OCCURRENCE;
      } else if (DRUG_TYPES.contains(type)) {
        table = AnalyticTable.DRUG_EXPOSURE;
      } else if (type.equals("Procedure")) {
        table = AnalyticTable.PROCEDURE_OCCURRENCE;
      } else if (type.equals("Observation")) {
        boolean measured = false;
        for (JsonNode c : r.path("category")) {
          for (JsonNode coding : c.path("coding")) {
            String code = coding.path("code").asText();
            measured |= code.equals("laboratory") || code.equals("vital-signs");
          }
        }
        List<JsonNode> values = new ArrayList<>();
        values.add(r);
        r.path("component").forEach(values::add);
        for (JsonNode v : values) {
          AnalyticTable t = valueTable(v, measured);
          if (t != null) {
            counts.merge(t, 1, Integer::sum);
            anyClinical = true;
          }
        }
      }
      if (table != null) {
        counts.merge(table, 1, Integer::sum);
        anyClinical = true;
      }
    }
    if (anyClinical) {
      counts.put(AnalyticTable.OBSERVATION_PERIOD, 1);
    }
    return counts;
  }

  private static AnalyticTable valueTable(JsonNode v, boolean measured) {
    if (v.path("valueQuantity").has("value")) {
      return AnalyticTable.MEASUREMENT;
    }
    for (JsonNode coding : v.path("valueCodeableConcept").path("coding")) {
      if (coding.hasNonNull("system") && !coding.path("code").asText().isBlank()) {
        return measured ? AnalyticTable.MEASUREMENT : AnalyticTable.OBSERVATION;
      }
    }
    return null;
  }
}
