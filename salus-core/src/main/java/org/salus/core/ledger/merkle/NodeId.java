package org.salus.core.ledger.merkle;

/** The perfect subtree over leaves {@code [index * 2^level, (index + 1) * 2^level)}. */
public record NodeId(int level, long index) {}
