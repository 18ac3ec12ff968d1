package org.salus.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.salus.core.record.AnalyticTable;

/** What writing one batch did. */
public sealed interface WriteResult {

  /** The file (by SHA-256) was loaded before; nothing was written. */
  record AlreadyLoaded() implements WriteResult {}

  /**
   * The batch was written.
   *
   * @param inserted new rows per table, every table present (0 where all rows existed already)
   * @param sourcesStored new encrypted source documents
   */
  record Loaded(Map<AnalyticTable, Integer> inserted, int sourcesStored) implements WriteResult {

    public Loaded {
      EnumMap<AnalyticTable, Integer> all = new EnumMap<>(AnalyticTable.class);
      for (AnalyticTable t : AnalyticTable.values()) {
        all.put(t, inserted.getOrDefault(t, 0));
      }
      inserted = Collections.unmodifiableMap(all);
    }

    /** All new rows, over all tables. */
    public int totalInserted() {
      return inserted.values().stream().mapToInt(Integer::intValue).sum();
    }
  }
}
