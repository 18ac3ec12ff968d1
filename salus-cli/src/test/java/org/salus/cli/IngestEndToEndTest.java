package org.salus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salus.core.record.AnalyticTable;
import org.salus.store.node.Node;
import org.salus.store.node.NodeDirectory;
import picocli.CommandLine;

/**
 * {@code salus ingest} end to end on a Synthea population: what the command reports, what lands in
 * the node's tables, idempotency, pseudonyms and bad files. Runs once per store (embedded DuckDB
 * and PostgreSQL) through the subclasses.
 */
abstract class IngestEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final List<Path> nodes = new ArrayList<>();

  /** Extra {@code salus node init} arguments choosing the store. */
  abstract List<String> storeArgs();

  /** Drops what the node keeps outside its directory. */
  abstract void dropStore(Node node);

  @AfterEach
  void dropNodes() {
    for (Path dir : nodes) {
      if (Files.exists(dir.resolve("node.json"))) {
        try (Node node = NodeDirectory.open(dir)) {
          dropStore(node);
        }
      }
    }
  }

  record Run(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }
  }

  static Run salus(List<String> args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  Path newNode(String name) {
    Path dir = tmp.resolve(name);
    List<String> args = new ArrayList<>(List.of("node", "init", "--dir", dir.toString()));
    args.addAll(storeArgs());
    Run init = salus(args);
    assertThat(init.exit()).as(init.err()).isZero();
    nodes.add(dir);
    return dir;
  }

  static Run ingest(Path node, List<Path> files, String... flags) {
    List<String> args = new ArrayList<>(List.of("ingest", "--dir", node.toString(), "--json"));
    args.addAll(List.of(flags));
    files.forEach(f -> args.add(f.toString()));
    return salus(args);
  }

  static Map<String, Long> tableCounts(Path node) throws IOException {
    Run stats = salus(List.of("node", "stats", "--dir", node.toString(), "--json"));
    assertThat(stats.exit()).as(stats.err()).isZero();
    Map<String, Long> counts = new TreeMap<>();
    stats
        .json()
        .get("tables")
        .fields()
        .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
    return counts;
  }

  @Test
  void reportsResourcesPerTypeAndRowsPerTableMatchingTheBundles() throws Exception {
    List<Path> files = TestPopulation.files();
    Path node = newNode("a");

    Run run = ingest(node, files);

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode report = run.json();
    assertThat(report.get("filesLoaded").asInt()).isEqualTo(files.size());
    Map<String, Integer> byType = new TreeMap<>();
    report
        .get("resourcesByType")
        .fields()
        .forEachRemaining(e -> byType.put(e.getKey(), e.getValue().asInt()));
    assertThat(byType).isEqualTo(resourceTypesIn(files));
    Map<String, Long> inserted = new TreeMap<>();
    report
        .get("rowsInsertedByTable")
        .fields()
        .forEachRemaining(e -> inserted.put(e.getKey(), e.getValue().asLong()));
    assertThat(inserted).isEqualTo(tableCounts(node));
    assertThat(inserted.get("person")).isEqualTo(files.size());
    assertThat(inserted.get("condition_occurrence")).isEqualTo(byType.get("Condition").longValue());
    assertThat(inserted.get("visit_occurrence")).isEqualTo(byType.get("Encounter").longValue());
  }

  @Test
  void theSameDataTwiceChangesNothing() throws Exception {
    List<Path> files = TestPopulation.files();
    Path node = newNode("a");
    assertThat(ingest(node, files).exit()).isZero();
    Map<String, Long> before = tableCounts(node);
    Set<String> personKeys = personKeys(node);

    Run again = ingest(node, files);
    // The same records in a file with other bytes: a new file, but no new rows.
    Path reformatted = tmp.resolve("reformatted.json");
    JsonNode bundle = JSON.readTree(files.get(0).toFile());
    JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(reformatted.toFile(), bundle);
    Run copy = ingest(node, List.of(reformatted));

    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().get("filesSkipped").asInt()).isEqualTo(files.size());
    assertThat(copy.exit()).as(copy.err()).isZero();
    assertThat(copy.json().get("filesLoaded").asInt()).isEqualTo(1);
    copy.json().get("rowsInsertedByTable").forEach(n -> assertThat(n.asInt()).isZero());
    assertThat(tableCounts(node)).isEqualTo(before);
    assertThat(personKeys(node)).isEqualTo(personKeys);
  }

  @Test
  void pseudonymsDifferAcrossNodes() throws Exception {
    List<Path> files = TestPopulation.files();
    Path a = newNode("a");
    Path b = newNode("b");
    assertThat(ingest(a, files).exit()).isZero();
    assertThat(ingest(b, files).exit()).isZero();

    Set<String> keysA = personKeys(a);
    Set<String> keysB = personKeys(b);

    assertThat(keysA).hasSize(files.size());
    assertThat(keysB).hasSize(files.size()).doesNotContainAnyElementsOf(keysA);
  }

  @Test
  void noNameAddressTelecomOrIdentifierReachesTheAnalyticTables() throws Exception {
    List<Path> files = TestPopulation.files();
    Set<String> identifying = identifyingValues(files);
    assertThat(identifying).hasSizeGreaterThan(files.size() * 4);
    Path node = newNode("a");
    assertThat(ingest(node, files).exit()).isZero();

    List<String> found = new ArrayList<>();
    int cells = 0;
    try (Node n = NodeDirectory.open(node);
        Connection c = n.store().database().connect();
        Statement s = c.createStatement()) {
      for (AnalyticTable table : AnalyticTable.values()) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + table.tableName())) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              String value = rs.getString(i);
              if (value == null) {
                continue;
              }
              cells++;
              String lower = value.toLowerCase(Locale.ROOT);
              for (String v : identifying) {
                if (lower.contains(v)) {
                  found.add(table.tableName() + "." + rs.getMetaData().getColumnName(i));
                }
              }
            }
          }
        }
      }
    }
    assertThat(cells).isGreaterThan(1000);
    assertThat(found).isEmpty();
  }

  @Test
  void aBadFileIsRefusedWholeAndNamedWithoutPatientData() throws Exception {
    List<Path> files = TestPopulation.files();
    Path bad = tmp.resolve("truncated.json");
    byte[] bundle = Files.readAllBytes(files.get(1));
    Files.write(bad, java.util.Arrays.copyOf(bundle, bundle.length / 2));
    Path node = newNode("a");

    Run stopped = ingest(node, List.of(bad, files.get(0)));

    assertThat(stopped.exit()).isEqualTo(1);
    assertThat(stopped.out()).isEmpty();
    assertThat(stopped.err()).contains("truncated.json").contains("ingest.json.malformed");
    assertNoIdentifyingValues(stopped.err(), files);
    assertThat(tableCounts(node).values()).allMatch(n -> n == 0L);

    Run continued = ingest(node, List.of(files.get(0), bad), "--continue-on-error");

    assertThat(continued.exit()).isEqualTo(1);
    JsonNode report = continued.json();
    assertThat(report.get("filesLoaded").asInt()).isEqualTo(1);
    assertThat(report.get("filesFailed").asInt()).isEqualTo(1);
    JsonNode failed = report.get("files").get(1);
    assertThat(failed.get("file").asText()).isEqualTo("truncated.json");
    assertThat(failed.get("code").asText()).isEqualTo("ingest.json.malformed");
    assertNoIdentifyingValues(continued.out(), files);
    assertThat(tableCounts(node).get("person")).isEqualTo(1L);
  }

  @Test
  void ndjsonFilesLoadInAnyOrder() throws Exception {
    Path export = bulkExport(TestPopulation.files().get(0));
    Path node = newNode("a");
    // Observations first: they refer to a patient in the file that comes after them.
    List<Path> files =
        List.of(
            export.resolve("Observation.ndjson"),
            export.resolve("Encounter.ndjson"),
            export.resolve("Patient.ndjson"));

    Run run = ingest(node, files);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.json().get("filesLoaded").asInt()).isEqualTo(3);
    Map<String, Long> counts = tableCounts(node);
    assertThat(counts.get("person")).isEqualTo(1L);
    assertThat(counts.get("visit_occurrence")).isPositive();
    assertThat(counts.get("measurement") + counts.get("observation")).isPositive();
  }

  /** Writes Patient, Encounter and Observation of a bundle as NDJSON, references as Type/id. */
  private Path bulkExport(Path bundleFile) throws IOException {
    JsonNode bundle = JSON.readTree(bundleFile.toFile());
    Map<String, String> typeOfUrn = new HashMap<>();
    for (JsonNode e : bundle.get("entry")) {
      JsonNode r = e.get("resource");
      typeOfUrn.put(
          e.get("fullUrl").asText(), r.get("resourceType").asText() + "/" + r.get("id").asText());
    }
    Path dir = Files.createDirectories(tmp.resolve("export"));
    Map<String, StringBuilder> lines = new TreeMap<>();
    for (String type : List.of("Patient", "Encounter", "Observation")) {
      lines.put(type, new StringBuilder());
    }
    for (JsonNode e : bundle.get("entry")) {
      JsonNode r = e.get("resource");
      StringBuilder out = lines.get(r.get("resourceType").asText());
      if (out != null) {
        rewriteReferences(r, typeOfUrn);
        out.append(JSON.writeValueAsString(r)).append('\n');
      }
    }
    for (Map.Entry<String, StringBuilder> l : lines.entrySet()) {
      Files.writeString(dir.resolve(l.getKey() + ".ndjson"), l.getValue());
    }
    return dir;
  }

  private static void rewriteReferences(JsonNode node, Map<String, String> typeOfUrn) {
    if (node instanceof ObjectNode o) {
      JsonNode ref = o.get("reference");
      if (ref != null && ref.isTextual() && typeOfUrn.containsKey(ref.asText())) {
        o.set("reference", new TextNode(typeOfUrn.get(ref.asText())));
      }
    }
    node.forEach(child -> rewriteReferences(child, typeOfUrn));
  }

  private static Map<String, Integer> resourceTypesIn(List<Path> files) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (Path f : files) {
      for (JsonNode e : JSON.readTree(f.toFile()).get("entry")) {
        counts.merge(e.get("resource").get("resourceType").asText(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Names, address lines, telecom and identifier values of every patient, lower case. */
  static Set<String> identifyingValues(List<Path> files) throws IOException {
    Set<String> values = new HashSet<>();
    for (Path f : files) {
      for (JsonNode e : JSON.readTree(f.toFile()).get("entry")) {
        JsonNode r = e.get("resource");
        if (!r.get("resourceType").asText().equals("Patient")) {
          continue;
        }
        for (JsonNode name : r.path("name")) {
          name.path("given").forEach(g -> values.add(g.asText()));
          values.add(name.path("family").asText());
        }
        for (JsonNode address : r.path("address")) {
          address.path("line").forEach(l -> values.add(l.asText()));
        }
        r.path("telecom").forEach(t -> values.add(t.path("value").asText()));
        r.path("identifier").forEach(i -> values.add(i.path("value").asText()));
      }
    }
    Set<String> lower = new HashSet<>();
    for (String v : values) {
      if (v.length() >= 4) {
        lower.add(v.toLowerCase(Locale.ROOT));
      }
    }
    return lower;
  }

  private static void assertNoIdentifyingValues(String text, List<Path> files) throws IOException {
    String lower = text.toLowerCase(Locale.ROOT);
    assertThat(identifyingValues(files)).noneMatch(lower::contains);
  }

  private static Set<String> personKeys(Path dir) throws SQLException {
    Set<String> keys = new HashSet<>();
    try (Node node = NodeDirectory.open(dir);
        Connection c = node.store().database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT person_key FROM person")) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    }
    return keys;
  }
}
