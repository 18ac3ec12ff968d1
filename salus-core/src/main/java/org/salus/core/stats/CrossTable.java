package org.salus.core.stats;

import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Counts per (row level, column level) of a two-way table; absent cells are zero. */
public record CrossTable(SortedMap<Cell, Long> counts) implements Statistic {

  public CrossTable {
    counts = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(counts));
  }

  /** One cell's address. */
  public record Cell(String row, String column) implements Comparable<Cell> {
    @Override
    public int compareTo(Cell o) {
      int c = row.compareTo(o.row);
      return c != 0 ? c : column.compareTo(o.column);
    }
  }

  public CrossTable plus(CrossTable o) {
    TreeMap<Cell, Long> sum = new TreeMap<>(counts);
    o.counts.forEach((k, v) -> sum.merge(k, v, Long::sum));
    return new CrossTable(sum);
  }

  public long count(String row, String column) {
    return counts.getOrDefault(new Cell(row, column), 0L);
  }

  public SortedSet<String> rows() {
    TreeSet<String> r = new TreeSet<>();
    counts.keySet().forEach(c -> r.add(c.row()));
    return r;
  }

  public SortedSet<String> columns() {
    TreeSet<String> r = new TreeSet<>();
    counts.keySet().forEach(c -> r.add(c.column()));
    return r;
  }

  public Map<String, Long> rowTotals() {
    TreeMap<String, Long> t = new TreeMap<>();
    counts.forEach((c, v) -> t.merge(c.row(), v, Long::sum));
    return t;
  }

  public Map<String, Long> columnTotals() {
    TreeMap<String, Long> t = new TreeMap<>();
    counts.forEach((c, v) -> t.merge(c.column(), v, Long::sum));
    return t;
  }

  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
