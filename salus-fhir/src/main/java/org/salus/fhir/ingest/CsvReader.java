package org.salus.fhir.ingest;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.Code;
import org.salus.core.record.ConditionOccurrence;
import org.salus.core.record.Death;
import org.salus.core.record.DrugExposure;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Measurement;
import org.salus.core.record.Observation;
import org.salus.core.record.Person;
import org.salus.core.record.ProcedureOccurrence;
import org.salus.core.record.Sex;
import org.salus.core.record.SourceDocument;

/** Reads CSV rows into one analytic table as a {@link CsvMapping} says; see docs/ingest.md. */
final class CsvReader {

  private final String file;
  private final CsvMapping mapping;
  private final IngestContext context;
  private final Map<String, Integer> index = new HashMap<>();

  private CsvReader(String file, CsvMapping mapping, IngestContext context) {
    this.file = file;
    this.mapping = mapping;
    this.context = context;
  }

  static IngestBatch read(String file, byte[] content, CsvMapping mapping, IngestContext context) {
    List<CsvRows.Row> rows =
        CsvRows.split(new String(content, StandardCharsets.UTF_8), mapping.delimiter(), file);
    if (rows.isEmpty()) {
      throw Where.file(file).error("ingest.file.empty", "the CSV file has no header");
    }
    CsvReader reader = new CsvReader(file, mapping, context);
    CsvRows.Row header = rows.get(0);
    reader.header(header);
    BatchBuilder batch = new BatchBuilder(context.pseudonymizer());
    String sourceType = "CSV:" + mapping.table().tableName();
    for (CsvRows.Row row : rows.subList(1, rows.size())) {
      if (row.fields().size() != header.fields().size()) {
        throw Where.line(file, row.line())
            .error(
                "ingest.csv.column-count",
                "row has "
                    + row.fields().size()
                    + " fields, the header has "
                    + header.fields().size());
      }
      Row r = reader.new Row(row);
      ClinicalRecord record = r.record();
      batch.count(sourceType);
      batch.add(record);
      if (record instanceof Person p) {
        r.optionalDate("deathDate")
            .ifPresent(d -> batch.add(new Death(p.recordKey(), p.personKey(), d)));
      }
      batch.source(
          new SourceDocument(
              sourceType,
              record.recordKey(),
              record.personKey(),
              (header.text() + "\n" + row.text()).getBytes(StandardCharsets.UTF_8)));
    }
    return batch.build();
  }

  private void header(CsvRows.Row header) {
    for (int i = 0; i < header.fields().size(); i++) {
      index.putIfAbsent(header.fields().get(i).strip(), i);
    }
    List<String> missing =
        mapping.columns().entrySet().stream()
            .filter(e -> !index.containsKey(e.getValue()))
            .map(e -> e.getKey() + " -> column '" + e.getValue() + "'")
            .sorted()
            .toList();
    if (missing.size() == mapping.columns().size()) {
      throw Where.line(file, header.line())
          .error(
              "ingest.csv.header-missing",
              "the first line holds none of the mapped column names; a CSV file needs a header");
    }
    if (!missing.isEmpty()) {
      throw Where.line(file, header.line())
          .error(
              "ingest.csv.column",
              "the header lacks mapped columns: " + String.join(", ", missing));
    }
  }

  /** One data row under the mapping. */
  private final class Row {
    private final CsvRows.Row row;
    private final Where where;

    Row(CsvRows.Row row) {
      this.row = row;
      this.where = Where.line(file, row.line());
    }

    ClinicalRecord record() {
      String personId = required("personId");
      String personKey =
          context
              .pseudonymizer()
              .personKey(mapping.personIdSystem().map(s -> s + "|").orElse("") + personId);
      String recordKey = context.pseudonymizer().recordKey(identity());
      AnalyticTable table = mapping.table();
      return switch (table) {
        case PERSON -> person(recordKey, personKey);
        case MEASUREMENT ->
            new Measurement(
                recordKey,
                personKey,
                Optional.empty(),
                code("code", "codeSystem"),
                dateTime("date"),
                number("value"),
                optional("unit"),
                optionalCode("valueCode", "valueCodeSystem"));
        case OBSERVATION ->
            new Observation(
                recordKey,
                personKey,
                Optional.empty(),
                code("code", "codeSystem"),
                dateTime("date"),
                optionalCode("valueCode", "valueCodeSystem"));
        case CONDITION_OCCURRENCE ->
            new ConditionOccurrence(
                recordKey,
                personKey,
                Optional.empty(),
                code("code", "codeSystem"),
                dateTime("date").toLocalDate(),
                optionalDate("endDate"));
        case DRUG_EXPOSURE ->
            new DrugExposure(
                recordKey,
                personKey,
                Optional.empty(),
                code("code", "codeSystem"),
                dateTime("date").toLocalDate(),
                optionalDate("endDate"));
        case PROCEDURE_OCCURRENCE ->
            new ProcedureOccurrence(
                recordKey,
                personKey,
                Optional.empty(),
                code("code", "codeSystem"),
                dateTime("date").toLocalDate());
        case OBSERVATION_PERIOD, VISIT_OCCURRENCE, DEATH ->
            throw where.error(
                "ingest.csv.mapping", "table " + table.tableName() + " is not mapped");
      };
    }

    private Person person(String recordKey, String personKey) {
      String sexCode = optional("sex").orElse("");
      Sex sex;
      try {
        sex =
            sexCode.isEmpty()
                ? Sex.UNKNOWN
                : sexCode.length() == 1 ? Sex.fromHl7v2(sexCode) : Sex.fromFhir(sexCode);
      } catch (IllegalArgumentException e) {
        throw error("ingest.value.invalid", "sex", "is not M/F/O/U or male/female/other/unknown");
      }
      LocalDate birth = dateTime("birthDate").toLocalDate();
      return new Person(
          recordKey,
          personKey,
          sex,
          context.birthPrecision().truncate(birth),
          context.birthPrecision());
    }

    /**
     * The row's identity, independent of the file it came in: the feed, the table and the rowId
     * column when mapped; else, for the person table, the person id; else every mapped field's
     * value in field-name order.
     */
    private String identity() {
      String prefix = "CSV/" + mapping.source() + "/" + mapping.table().tableName() + "/";
      if (mapping.columns().containsKey("rowId")) {
        return prefix + required("rowId");
      }
      if (mapping.table() == AnalyticTable.PERSON) {
        return prefix + required("personId");
      }
      StringBuilder s = new StringBuilder(prefix);
      for (String field : new TreeSet<>(mapping.columns().keySet())) {
        s.append(field).append('=').append(cell(field)).append('\u001f');
      }
      return s.toString();
    }

    private String cell(String field) {
      String column = mapping.columns().get(field);
      if (column == null) {
        return mapping.constants().getOrDefault(field, "");
      }
      return row.fields().get(index.get(column)).strip();
    }

    private String required(String field) {
      String v = cell(field);
      if (v.isEmpty()) {
        throw error("ingest.field.missing", field, "is empty");
      }
      return v;
    }

    private Optional<String> optional(String field) {
      String v = cell(field);
      return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private Code code(String codeField, String systemField) {
      return new Code(required(systemField), required(codeField));
    }

    private Optional<Code> optionalCode(String codeField, String systemField) {
      return optional(codeField).map(c -> new Code(required(systemField), c));
    }

    private Optional<Double> number(String field) {
      Optional<String> v = optional(field);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      try {
        double d = Double.parseDouble(v.get());
        if (Double.isFinite(d) && v.get().matches("[+-]?[0-9]*\\.?[0-9]+([eE][+-]?[0-9]+)?")) {
          return Optional.of(d);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw error("ingest.value.invalid", field, "is not a number");
    }

    private LocalDateTime dateTime(String field) {
      return parse(required(field), field);
    }

    private Optional<LocalDate> optionalDate(String field) {
      return optional(field).map(v -> parse(v, field).toLocalDate());
    }

    private LocalDateTime parse(String v, String field) {
      try {
        if (mapping.dateFormat().isPresent()) {
          TemporalAccessor t = mapping.dateFormat().get().parse(v);
          return t.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)
              ? LocalDateTime.from(t)
              : LocalDate.from(t).atStartOfDay();
        }
        return v.length() <= 10 ? LocalDate.parse(v).atStartOfDay() : LocalDateTime.parse(v);
      } catch (java.time.DateTimeException e) {
        throw error("ingest.date.unparseable", field, "is not a date");
      }
    }

    private IngestException error(String code, String field, String what) {
      String column = mapping.columns().getOrDefault(field, "(constant)");
      return where.error(code, field + " (column '" + column + "') " + what);
    }
  }
}
