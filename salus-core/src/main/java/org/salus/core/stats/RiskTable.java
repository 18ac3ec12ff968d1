package org.salus.core.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events and exits (events plus censorings) per group and time bin: from these summed over nodes
 * the hub reconstructs the pooled numbers at risk, so Kaplan–Meier and log-rank equal the pooled
 * ones. A person leaving in bin b is at risk in every bin up to and including b.
 */
public record RiskTable(List<Row> rows) implements Statistic {

  /** Counts for one group in one bin. */
  public record Row(String group, int bin, long events, long exits) {
    public Row {
      if (events < 0 || exits < events) {
        throw new IllegalArgumentException("events must be within 0..exits");
      }
    }
  }

  private record Key(String group, int bin) {}

  public RiskTable {
    Map<Key, long[]> merged =
        new TreeMap<>(Comparator.comparing(Key::group).thenComparingInt(Key::bin));
    for (Row r : rows) {
      long[] c = merged.computeIfAbsent(new Key(r.group(), r.bin()), k -> new long[2]);
      c[0] += r.events();
      c[1] += r.exits();
    }
    List<Row> normal = new ArrayList<>();
    merged.forEach((k, c) -> normal.add(new Row(k.group(), k.bin(), c[0], c[1])));
    rows = List.copyOf(normal);
  }

  public RiskTable plus(RiskTable o) {
    List<Row> all = new ArrayList<>(rows);
    all.addAll(o.rows);
    return new RiskTable(all);
  }

  public List<String> groups() {
    return rows.stream().map(Row::group).distinct().sorted().toList();
  }

  /** Bin → {events, exits, at risk} for one group, bins ascending. */
  TreeMap<Integer, long[]> byBin(String group) {
    TreeMap<Integer, long[]> t = new TreeMap<>();
    for (Row r : rows) {
      if (r.group().equals(group)) {
        t.put(r.bin(), new long[] {r.events(), r.exits(), 0});
      }
    }
    long atRisk = 0;
    for (long[] c : t.descendingMap().values()) {
      atRisk += c[1];
      c[2] = atRisk;
    }
    return t;
  }

  /** Number of {group} persons at risk at the start of {@code bin}. */
  long atRisk(String group, int bin) {
    long n = 0;
    for (Row r : rows) {
      if (r.group().equals(group) && r.bin() >= bin) {
        n += r.exits();
      }
    }
    return n;
  }
}
