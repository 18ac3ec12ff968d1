package org.salus.fhir.ingest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.salus.core.pseudonym.Pseudonymizer;
import org.salus.core.record.ClinicalRecord;
import org.salus.core.record.ConditionOccurrence;
import org.salus.core.record.DrugExposure;
import org.salus.core.record.IngestBatch;
import org.salus.core.record.Measurement;
import org.salus.core.record.Observation;
import org.salus.core.record.ObservationPeriod;
import org.salus.core.record.ProcedureOccurrence;
import org.salus.core.record.SourceDocument;
import org.salus.core.record.VisitOccurrence;

/**
 * Collects what one file yields and closes it into an {@link IngestBatch}, adding one observation
 * period per person: from the earliest to the latest clinical date of that person in the file.
 */
final class BatchBuilder {

  private final Pseudonymizer pseudonymizer;
  private final List<ClinicalRecord> records = new ArrayList<>();
  private final List<SourceDocument> sources = new ArrayList<>();
  private final Map<String, Integer> counts = new TreeMap<>();

  BatchBuilder(Pseudonymizer pseudonymizer) {
    this.pseudonymizer = pseudonymizer;
  }

  void count(String sourceType) {
    counts.merge(sourceType, 1, Integer::sum);
  }

  void add(ClinicalRecord record) {
    records.add(record);
  }

  void source(SourceDocument source) {
    sources.add(source);
  }

  IngestBatch build() {
    Map<String, LocalDate[]> spans = new LinkedHashMap<>();
    for (ClinicalRecord r : records) {
      for (LocalDate d : clinicalDates(r)) {
        LocalDate[] span = spans.computeIfAbsent(r.personKey(), k -> new LocalDate[] {d, d});
        span[0] = d.isBefore(span[0]) ? d : span[0];
        span[1] = d.isAfter(span[1]) ? d : span[1];
      }
    }
    List<ClinicalRecord> all = new ArrayList<>(records);
    spans.forEach(
        (person, span) ->
            all.add(
                new ObservationPeriod(
                    pseudonymizer.recordKey(
                        "ObservationPeriod/" + person + "/" + span[0] + "/" + span[1]),
                    person,
                    span[0],
                    span[1])));
    return new IngestBatch(all, sources, new TreeMap<>(counts));
  }

  /** The dates a record shows the person under care; none for person, death and periods. */
  static List<LocalDate> clinicalDates(ClinicalRecord r) {
    return switch (r) {
      case VisitOccurrence v ->
          v.end().isPresent()
              ? List.of(v.start().toLocalDate(), v.end().get().toLocalDate())
              : List.of(v.start().toLocalDate());
      case ConditionOccurrence c ->
          c.endDate().isPresent()
              ? List.of(c.startDate(), c.endDate().get())
              : List.of(c.startDate());
      case DrugExposure d ->
          d.endDate().isPresent()
              ? List.of(d.startDate(), d.endDate().get())
              : List.of(d.startDate());
      case ProcedureOccurrence p -> List.of(p.date());
      case Measurement m -> List.of(m.time().toLocalDate());
      case Observation o -> List.of(o.time().toLocalDate());
      case org.salus.core.record.Person p -> List.of();
      case org.salus.core.record.Death d -> List.of();
      case ObservationPeriod p -> List.of();
    };
  }
}
