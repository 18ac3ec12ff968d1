package org.salus.fhir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salus.core.record.AnalyticTable;

/**
 * How the columns of a CSV file map to one analytic table. Read from a JSON file; the format is in
 * docs/ingest.md. Each field of the table is taken either from a column ({@code columns}) or from a
 * constant ({@code constants}, for example the code system of a whole file).
 */
public final class CsvMapping {

  /** The fields each supported table needs (first list) and may have (second list). */
  static final Map<AnalyticTable, List<Set<String>>> FIELDS =
      Map.of(
          AnalyticTable.PERSON,
          List.of(Set.of("personId", "birthDate"), Set.of("sex", "deathDate", "rowId")),
          AnalyticTable.MEASUREMENT,
          List.of(
              Set.of("personId", "date", "code", "codeSystem"),
              Set.of("value", "unit", "valueCode", "valueCodeSystem", "rowId")),
          AnalyticTable.OBSERVATION,
          List.of(
              Set.of("personId", "date", "code", "codeSystem"),
              Set.of("valueCode", "valueCodeSystem", "rowId")),
          AnalyticTable.CONDITION_OCCURRENCE,
          List.of(Set.of("personId", "date", "code", "codeSystem"), Set.of("endDate", "rowId")),
          AnalyticTable.DRUG_EXPOSURE,
          List.of(Set.of("personId", "date", "code", "codeSystem"), Set.of("endDate", "rowId")),
          AnalyticTable.PROCEDURE_OCCURRENCE,
          List.of(Set.of("personId", "date", "code", "codeSystem"), Set.of("rowId")));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AnalyticTable table;
  private final String source;
  private final Optional<String> personIdSystem;
  private final char delimiter;
  private final Optional<DateTimeFormatter> dateFormat;
  private final Map<String, String> columns;
  private final Map<String, String> constants;

  private CsvMapping(
      AnalyticTable table,
      String source,
      Optional<String> personIdSystem,
      char delimiter,
      Optional<DateTimeFormatter> dateFormat,
      Map<String, String> columns,
      Map<String, String> constants) {
    this.table = table;
    this.source = source;
    this.personIdSystem = personIdSystem;
    this.delimiter = delimiter;
    this.dateFormat = dateFormat;
    this.columns = Map.copyOf(columns);
    this.constants = Map.copyOf(constants);
  }

  /**
   * Reads and checks a mapping file; throws {@link IngestException} ({@code ingest.csv.mapping}).
   */
  public static CsvMapping read(Path mappingFile) {
    Where where = Where.file(mappingFile.getFileName().toString());
    JsonNode root;
    try {
      root = JSON.readTree(mappingFile.toFile());
    } catch (IOException e) {
      throw where.error("ingest.csv.mapping", "mapping file is not readable JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw where.error("ingest.csv.mapping", "mapping file must hold a JSON object");
    }
    AnalyticTable table = table(root.path("table").asText(""), where);
    String source = root.path("source").asText("");
    if (!source.matches("[A-Za-z0-9_.\\-]{1,64}")) {
      throw where.error(
          "ingest.csv.mapping", "\"source\" must be 1-64 of A-Z a-z 0-9 _ . - (names the feed)");
    }
    String delimiter = root.path("delimiter").asText(",");
    if (delimiter.length() != 1 || delimiter.equals("\"")) {
      throw where.error("ingest.csv.mapping", "\"delimiter\" must be one character, not a quote");
    }
    Optional<DateTimeFormatter> dateFormat = Optional.empty();
    if (root.hasNonNull("dateFormat")) {
      try {
        dateFormat = Optional.of(DateTimeFormatter.ofPattern(root.get("dateFormat").asText()));
      } catch (IllegalArgumentException e) {
        throw where.error("ingest.csv.mapping", "\"dateFormat\" is not a valid pattern", e);
      }
    }
    Map<String, String> columns = strings(root.path("columns"), "columns", where);
    Map<String, String> constants = strings(root.path("constants"), "constants", where);
    check(table, columns, constants, where);
    Optional<String> system =
        root.hasNonNull("personIdSystem")
            ? Optional.of(root.get("personIdSystem").asText())
            : Optional.empty();
    return new CsvMapping(
        table, source, system, delimiter.charAt(0), dateFormat, columns, constants);
  }

  private static AnalyticTable table(String name, Where where) {
    for (AnalyticTable t : FIELDS.keySet()) {
      if (t.tableName().equals(name)) {
        return t;
      }
    }
    throw where.error(
        "ingest.csv.mapping",
        "\"table\" must be one of person, measurement, observation, condition_occurrence,"
            + " drug_exposure, procedure_occurrence");
  }

  private static Map<String, String> strings(JsonNode node, String name, Where where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw where.error("ingest.csv.mapping", "\"" + name + "\" must be an object");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
        throw where.error(
            "ingest.csv.mapping", "\"" + name + "\"." + e.getKey() + " must be a non-empty string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static void check(
      AnalyticTable table,
      Map<String, String> columns,
      Map<String, String> constants,
      Where where) {
    Set<String> required = FIELDS.get(table).get(0);
    Set<String> optional = FIELDS.get(table).get(1);
    for (String field : required) {
      if (!columns.containsKey(field) && !constants.containsKey(field)) {
        throw where.error(
            "ingest.csv.mapping",
            "table " + table.tableName() + " needs field " + field + " (a column or a constant)");
      }
    }
    for (String field : columns.keySet()) {
      if (!required.contains(field) && !optional.contains(field)) {
        throw where.error(
            "ingest.csv.mapping", "table " + table.tableName() + " has no field " + field);
      }
    }
    for (String field : List.of("personId", "rowId", "value", "date", "birthDate")) {
      if (constants.containsKey(field)) {
        throw where.error("ingest.csv.mapping", field + " must come from a column, not a constant");
      }
    }
  }

  public AnalyticTable table() {
    return table;
  }

  /** Names the feed; part of every row's identity, so two feeds never share record keys. */
  public String source() {
    return source;
  }

  /** Prefixed to person ids ({@code system|id}) so they hash like FHIR MRN identifiers. */
  public Optional<String> personIdSystem() {
    return personIdSystem;
  }

  public char delimiter() {
    return delimiter;
  }

  Optional<DateTimeFormatter> dateFormat() {
    return dateFormat;
  }

  /** Field name to column name. */
  public Map<String, String> columns() {
    return columns;
  }

  /** Field name to constant value. */
  public Map<String, String> constants() {
    return constants;
  }

  @Override
  public String toString() {
    return "CsvMapping[" + table.tableName() + ", source " + source + ", columns " + columns + "]";
  }
}
