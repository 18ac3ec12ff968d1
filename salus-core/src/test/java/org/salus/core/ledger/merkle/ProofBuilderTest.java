package org.salus.core.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProofBuilderTest {

  @Test
  void proofsReadLogarithmicallyManyStoredHashes() {
    int size = 100_003;
    MemoryHashStore store = MerklePropertiesTest.store(MerklePropertiesTest.leaves(size));
    AtomicInteger reads = new AtomicInteger();
    ProofBuilder builder =
        new ProofBuilder(
            (level, index) -> {
              reads.incrementAndGet();
              return store.node(level, index);
            });
    int worst = 0;
    for (long index : new long[] {0, 1, 65_535, 65_536, 99_999, size - 1}) {
      reads.set(0);
      builder.inclusion(index, size);
      worst = Math.max(worst, reads.get());
      reads.set(0);
      builder.consistency(index + 1, size);
      worst = Math.max(worst, reads.get());
    }
    // log2(100003) < 17: a path of 17 siblings plus one right-border subtree of <= 17 pieces.
    assertThat(worst).isLessThanOrEqualTo(2 * 17 + 1);
  }

  @Test
  void theStridedLayoutGivesTheSameHashesFromEveryFourthLevel() {
    int size = 5_000;
    MemoryHashStore full = MerklePropertiesTest.store(MerklePropertiesTest.leaves(size));
    AtomicInteger reads = new AtomicInteger();
    StridedHashSource strided =
        new StridedHashSource(
            (level, from, count) -> {
              assertThat(level % StridedHashSource.STRIDE).isZero();
              reads.incrementAndGet();
              List<Hash> out = new java.util.ArrayList<>();
              for (long i = from; i < from + count; i++) {
                out.add(full.node(level, i));
              }
              return out;
            });
    for (int level = 0; level < 13; level++) {
      for (long index = 0; index < size >> level; index += 7) {
        assertThat(strided.node(level, index)).isEqualTo(full.node(level, index));
      }
    }
    reads.set(0);
    InclusionProof p = new ProofBuilder(strided).inclusion(4321, size);
    assertThat(p).isEqualTo(new ProofBuilder(full).inclusion(4321, size));
    assertThat(reads.get()).isLessThanOrEqualTo(2 * 13 + 1);
  }

  @Test
  void aWrongRootIsRefusedWithBothRootsAsEvidence() {
    List<Hash> leaves = MerklePropertiesTest.leaves(10);
    MemoryHashStore store = MerklePropertiesTest.store(leaves);
    InclusionProof proof = new ProofBuilder(store).inclusion(3, 10);
    Hash wrong = MerklePropertiesTest.flipped(store.root(), 7);

    ProofException e =
        catchThrowableOfType(
            ProofException.class, () -> ProofVerifier.verifyInclusion(proof, leaves.get(3), wrong));

    assertThat(e.code()).isEqualTo("ledger.proof.root-mismatch");
    assertThat(e.failure()).isEqualTo(new ProofFailure.RootMismatch(wrong, store.root()));
  }

  @Test
  void anIndexOutsideTheTreeIsRefused() {
    ProofException e =
        catchThrowableOfType(
            ProofException.class,
            () ->
                ProofVerifier.verifyInclusion(
                    new InclusionProof(5, 5, List.of()),
                    TreeHasher.emptyRoot(),
                    TreeHasher.emptyRoot()));
    assertThat(e.failure()).isEqualTo(new ProofFailure.IndexOutOfRange(5, 5));
  }

  @Test
  void theEmptyTreeHasTheHashOfNothing() {
    assertThat(new CompactTree().root().hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}
