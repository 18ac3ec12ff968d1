package org.salus.store;

import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.Code;
import org.salus.core.record.ConditionOccurrence;
import org.salus.core.record.Death;
import org.salus.core.record.DrugExposure;
import org.salus.core.record.Measurement;
import org.salus.core.record.Observation;
import org.salus.core.record.ObservationPeriod;
import org.salus.core.record.Person;
import org.salus.core.record.ProcedureOccurrence;
import org.salus.core.record.VisitOccurrence;

/** How each core record maps to the columns of its analytic table (see V1__analytic_tables.sql). */
final class AnalyticRows {

  private AnalyticRows() {}

  /** A column's SQL type, needed to bind a typed NULL. */
  enum Type {
    TEXT(Types.VARCHAR),
    DATE(Types.DATE),
    TIMESTAMP(Types.TIMESTAMP),
    DOUBLE(Types.DOUBLE),
    INTEGER(Types.INTEGER),
    BYTES(Types.BINARY);

    final int sqlType;

    Type(int sqlType) {
      this.sqlType = sqlType;
    }
  }

  record Column(String name, Type type) {}

  private static Column text(String name) {
    return new Column(name, Type.TEXT);
  }

  private static Column date(String name) {
    return new Column(name, Type.DATE);
  }

  private static Column time(String name) {
    return new Column(name, Type.TIMESTAMP);
  }

  private static final Column RECORD = text("record_key");
  private static final Column PERSON = text("person_key");
  private static final Column VISIT = text("visit_key");

  /** The columns of a table, in the order {@link #values} fills them. */
  static List<Column> columns(AnalyticTable table) {
    return switch (table) {
      case PERSON ->
          List.of(
              RECORD,
              PERSON,
              text("sex"),
              date("birth_date"),
              text("birth_precision"),
              new Column("year_of_birth", Type.INTEGER));
      case OBSERVATION_PERIOD ->
          List.of(
              RECORD,
              PERSON,
              date("observation_period_start_date"),
              date("observation_period_end_date"));
      case VISIT_OCCURRENCE ->
          List.of(
              RECORD,
              PERSON,
              text("visit_class"),
              text("visit_source_vocabulary"),
              text("visit_source_code"),
              time("visit_start_datetime"),
              time("visit_end_datetime"));
      case CONDITION_OCCURRENCE -> coded("condition", date("condition_start_date"), "condition");
      case DRUG_EXPOSURE -> coded("drug", date("drug_exposure_start_date"), "drug_exposure");
      case PROCEDURE_OCCURRENCE ->
          List.of(
              RECORD,
              PERSON,
              VISIT,
              text("procedure_source_vocabulary"),
              text("procedure_source_code"),
              date("procedure_date"));
      case MEASUREMENT ->
          List.of(
              RECORD,
              PERSON,
              VISIT,
              text("measurement_source_vocabulary"),
              text("measurement_source_code"),
              time("measurement_datetime"),
              new Column("value_as_number", Type.DOUBLE),
              text("unit_source_value"),
              text("value_source_vocabulary"),
              text("value_source_code"));
      case OBSERVATION ->
          List.of(
              RECORD,
              PERSON,
              VISIT,
              text("observation_source_vocabulary"),
              text("observation_source_code"),
              time("observation_datetime"),
              text("value_source_vocabulary"),
              text("value_source_code"));
      case DEATH -> List.of(RECORD, PERSON, date("death_date"));
    };
  }

  private static List<Column> coded(String prefix, Column start, String datePrefix) {
    return List.of(
        RECORD,
        PERSON,
        VISIT,
        text(prefix + "_source_vocabulary"),
        text(prefix + "_source_code"),
        start,
        date(datePrefix + "_end_date"));
  }

  /** The column values of a record; {@code null} stands for SQL NULL. */
  static Object[] values(ClinicalRecord record) {
    return switch (record) {
      case Person p ->
          row(
              p.recordKey(),
              p.personKey(),
              p.sex().name().toLowerCase(Locale.ROOT),
              p.birthDate(),
              p.birthPrecision().name().toLowerCase(Locale.ROOT),
              p.birthDate().getYear());
      case ObservationPeriod o -> row(o.recordKey(), o.personKey(), o.startDate(), o.endDate());
      case VisitOccurrence v ->
          row(
              v.recordKey(),
              v.personKey(),
              v.visitClass(),
              vocabulary(v.type()),
              code(v.type()),
              v.start(),
              v.end().orElse(null));
      case ConditionOccurrence c ->
          coded(c.recordKey(), c.personKey(), c.visitKey(), c.code(), c.startDate(), c.endDate());
      case DrugExposure d ->
          coded(d.recordKey(), d.personKey(), d.visitKey(), d.code(), d.startDate(), d.endDate());
      case ProcedureOccurrence p ->
          row(
              p.recordKey(),
              p.personKey(),
              p.visitKey().orElse(null),
              p.code().vocabulary(),
              p.code().code(),
              p.date());
      case Measurement m ->
          row(
              m.recordKey(),
              m.personKey(),
              m.visitKey().orElse(null),
              m.code().vocabulary(),
              m.code().code(),
              m.time(),
              m.value().orElse(null),
              m.unit().orElse(null),
              vocabulary(m.valueCode()),
              code(m.valueCode()));
      case Observation o ->
          row(
              o.recordKey(),
              o.personKey(),
              o.visitKey().orElse(null),
              o.code().vocabulary(),
              o.code().code(),
              o.time(),
              vocabulary(o.valueCode()),
              code(o.valueCode()));
      case Death d -> row(d.recordKey(), d.personKey(), d.date());
    };
  }

  private static Object[] coded(
      String recordKey,
      String personKey,
      Optional<String> visitKey,
      Code code,
      Object start,
      Optional<?> end) {
    return row(
        recordKey,
        personKey,
        visitKey.orElse(null),
        code.vocabulary(),
        code.code(),
        start,
        end.orElse(null));
  }

  private static Object[] row(Object... values) {
    return values;
  }

  private static String vocabulary(Optional<Code> code) {
    return code.map(Code::vocabulary).orElse(null);
  }

  private static String code(Optional<Code> code) {
    return code.map(Code::code).orElse(null);
  }
}
