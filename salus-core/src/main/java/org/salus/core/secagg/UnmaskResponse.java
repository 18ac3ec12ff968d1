package org.salus.core.secagg;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** Round 3, participant to server: the requested shares, by the participant they belong to. */
public record UnmaskResponse(
    int from,
    SortedMap<Integer, ShamirShare> selfMaskShares,
    SortedMap<Integer, ShamirShare> secretKeyShares) {
  public UnmaskResponse {
    selfMaskShares = Collections.unmodifiableSortedMap(new TreeMap<>(selfMaskShares));
    secretKeyShares = Collections.unmodifiableSortedMap(new TreeMap<>(secretKeyShares));
  }
}
