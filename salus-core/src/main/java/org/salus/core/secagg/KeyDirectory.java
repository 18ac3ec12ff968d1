package org.salus.core.secagg;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The server's broadcast after round 0: the keys of every participant that advertised. */
public record KeyDirectory(SortedMap<Integer, AdvertiseKeys> keys) {
  public KeyDirectory {
    keys = Collections.unmodifiableSortedMap(new TreeMap<>(keys));
  }

  static KeyDirectory of(Map<Integer, AdvertiseKeys> keys) {
    return new KeyDirectory(new TreeMap<>(keys));
  }
}
