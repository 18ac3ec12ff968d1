package org.salus.core.secagg;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Round 3, server to one participant: reveal your shares of the self-mask seeds of the survivors
 * and of the masking secret keys of the dropped. A participant refuses a request naming anyone in
 * both sets: with both, the server could unmask that participant's input.
 */
public record UnmaskRequest(
    int recipient, SortedSet<Integer> selfMaskOf, SortedSet<Integer> secretKeyOf) {
  public UnmaskRequest {
    selfMaskOf = Collections.unmodifiableSortedSet(new TreeSet<>(selfMaskOf));
    secretKeyOf = Collections.unmodifiableSortedSet(new TreeSet<>(secretKeyOf));
  }
}
