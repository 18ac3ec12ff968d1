package org.salus.core.secagg;

/** Round 2: x + self-mask + Σ ± pairwise masks, mod 2^64. Reveals nothing about x alone. */
public record MaskedInput(int from, long[] masked) {
  public MaskedInput {
    masked = masked.clone();
  }

  @Override
  public long[] masked() {
    return masked.clone();
  }
}
