package org.salus.core.secagg;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** After round 1: the ciphertexts addressed to one participant, by sender. */
public record ShareDelivery(int recipient, SortedMap<Integer, byte[]> ciphertextsBySender) {
  public ShareDelivery {
    ciphertextsBySender = Collections.unmodifiableSortedMap(new TreeMap<>(ciphertextsBySender));
  }
}
