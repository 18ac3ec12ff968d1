package org.salus.core.ledger.merkle;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a proof with one batched read instead of one read per hash: a first pass over a recording
 * source learns which nodes the proof needs (the algorithms' control flow depends only on sizes and
 * indices, never on hash values), one {@link BatchReader} call fetches them, and a second pass
 * builds the proof from what was fetched. For stores whose per-query cost dominates.
 */
public final class Prefetch {

  /** Reads many stored nodes at once. */
  @FunctionalInterface
  public interface BatchReader {
    /** The hashes of every wanted node; a node that is not stored is left out. */
    Map<NodeId, Hash> read(Collection<NodeId> wanted);
  }

  private Prefetch() {}

  /** Runs {@code build} over a {@link ProofBuilder} whose reads are fetched in one batch. */
  public static <T> T build(BatchReader reader, Function<ProofBuilder, T> build) {
    Set<NodeId> wanted = new LinkedHashSet<>();
    var unused =
        build.apply(
            new ProofBuilder(
                (level, index) -> {
                  wanted.add(new NodeId(level, index));
                  return TreeHasher.emptyRoot();
                }));
    Map<NodeId, Hash> fetched = new HashMap<>(reader.read(wanted));
    return build.apply(
        new ProofBuilder(
            (level, index) -> {
              Hash h = fetched.get(new NodeId(level, index));
              if (h == null) {
                throw new IllegalArgumentException(
                    "no stored node at level " + level + ", index " + index);
              }
              return h;
            }));
  }
}
