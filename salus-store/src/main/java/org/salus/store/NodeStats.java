package org.salus.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.salus.core.record.AnalyticTable;
import org.salus.core.record.Sex;

/**
 * What a node holds, for its steward: rows per analytic table and persons by sex and decade of
 * birth.
 *
 * @param tables row count of every analytic table
 * @param bySexAndDecade persons per sex and decade of birth (1950 = born 1950–1959), sorted by sex
 *     then decade; only non-empty cells
 */
public record NodeStats(Map<AnalyticTable, Long> tables, List<SexDecade> bySexAndDecade) {

  public NodeStats {
    EnumMap<AnalyticTable, Long> copy = new EnumMap<>(AnalyticTable.class);
    copy.putAll(tables);
    tables = Collections.unmodifiableMap(copy);
    bySexAndDecade = List.copyOf(bySexAndDecade);
  }

  /** One cell of the sex × decade table. */
  public record SexDecade(Sex sex, int decade, long count) {}
}
