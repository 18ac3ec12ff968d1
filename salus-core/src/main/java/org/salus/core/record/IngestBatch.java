package org.salus.core.record;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything one input file yields: the analytic rows, the original source records to keep
 * encrypted, and how many source records of each type it held. A batch is written in one
 * transaction or not at all.
 *
 * @param sourceCounts source records per type, for example {@code {"Observation": 412}}
 */
public record IngestBatch(
    List<ClinicalRecord> records,
    List<SourceDocument> sources,
    SortedMap<String, Integer> sourceCounts) {

  public IngestBatch {
    records = List.copyOf(Objects.requireNonNull(records, "records"));
    sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
    sourceCounts =
        java.util.Collections.unmodifiableSortedMap(
            new TreeMap<>(Objects.requireNonNull(sourceCounts, "sourceCounts")));
  }

  /** Rows per analytic table. */
  public Map<AnalyticTable, Integer> recordCounts() {
    Map<AnalyticTable, Integer> counts = new java.util.EnumMap<>(AnalyticTable.class);
    for (ClinicalRecord r : records) {
      counts.merge(r.table(), 1, Integer::sum);
    }
    return counts;
  }
}
