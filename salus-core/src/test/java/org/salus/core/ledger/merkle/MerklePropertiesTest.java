package org.salus.core.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The fast tree, builder and verifier against the literal RFC 6962 reference. */
class MerklePropertiesTest {

  @Property(tries = 200)
  void rootsAndProofsMatchTheReference(
      @ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 299) int rawIndex,
      @ForAll @IntRange(min = 0, max = 300) int rawSize1) {
    int index = rawIndex % size;
    int size1 = rawSize1 % (size + 1);
    List<Hash> leaves = leaves(size);
    MemoryHashStore store = store(leaves);
    ReferenceTree ref = new ReferenceTree(leaves);
    ProofBuilder builder = new ProofBuilder(store);

    assertThat(store.root()).isEqualTo(ref.mth(0, size));
    assertThat(builder.root(size1)).isEqualTo(ref.mth(0, size1));
    assertThat(CompactTree.restore(size1, store).root()).isEqualTo(ref.mth(0, size1));

    InclusionProof inclusion = builder.inclusion(index, size);
    assertThat(inclusion.hashes()).isEqualTo(ref.path(index, 0, size));
    ProofVerifier.verifyInclusion(inclusion, leaves.get(index), ref.mth(0, size));

    ConsistencyProof consistency = builder.consistency(size1, size);
    if (size1 > 0 && size1 < size) {
      assertThat(consistency.hashes()).isEqualTo(ref.proof(size1, size));
    }
    ProofVerifier.verifyConsistency(consistency, ref.mth(0, size1), ref.mth(0, size));
  }

  @Property(tries = 300)
  void anyBitFlipWrongIndexOrWrongSizeIsRefused(
      @ForAll @IntRange(min = 2, max = 200) int size,
      @ForAll @IntRange(min = 0, max = 199) int rawIndex,
      @ForAll @IntRange(min = 0, max = 10_000) int flip,
      @ForAll @IntRange(min = 1, max = 400) int otherSize) {
    int index = rawIndex % size;
    List<Hash> leaves = leaves(size);
    MemoryHashStore store = store(leaves);
    Hash root = store.root();
    InclusionProof proof = new ProofBuilder(store).inclusion(index, size);

    // A flipped bit anywhere in the proof, the leaf or the root.
    int bits = (proof.hashes().size() + 2) * Hash.SIZE * 8;
    int bit = flip % bits;
    int which = bit / (Hash.SIZE * 8);
    List<Hash> hashes = new ArrayList<>(proof.hashes());
    Hash leaf = leaves.get(index);
    Hash trusted = root;
    if (which < hashes.size()) {
      hashes.set(which, flipped(hashes.get(which), bit % (Hash.SIZE * 8)));
    } else if (which == hashes.size()) {
      leaf = flipped(leaf, bit % (Hash.SIZE * 8));
    } else {
      trusted = flipped(root, bit % (Hash.SIZE * 8));
    }
    InclusionProof tampered = new InclusionProof(index, size, hashes);
    Hash tamperedLeaf = leaf;
    Hash tamperedRoot = trusted;
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(tampered, tamperedLeaf, tamperedRoot))
        .isInstanceOf(ProofException.class);

    // Another index: a different leaf position must not verify with this path.
    int otherIndex = (index + 1 + flip % (size - 1)) % size;
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyInclusion(
                    new InclusionProof(otherIndex, size, proof.hashes()), leaves.get(index), root))
        .isInstanceOf(ProofException.class);

    // Another tree size. The root, not the size, binds the tree (a checkpoint signs both), so a
    // size whose audit path has the same shape may verify; one with another shape must not.
    if (index >= otherSize
        || new ReferenceTree(leaves(otherSize)).path(index, 0, otherSize).size()
            != proof.hashes().size()) {
      assertThatThrownBy(
              () ->
                  ProofVerifier.verifyInclusion(
                      new InclusionProof(index, otherSize, proof.hashes()),
                      leaves.get(index),
                      root))
          .isInstanceOf(ProofException.class);
    }
  }

  @Property(tries = 200)
  void consistencyBitFlipsAndWrongSizesAreRefused(
      @ForAll @IntRange(min = 2, max = 200) int size2,
      @ForAll @IntRange(min = 1, max = 199) int rawSize1,
      @ForAll @IntRange(min = 0, max = 10_000) int flip) {
    int size1 = 1 + rawSize1 % (size2 - 1);
    List<Hash> leaves = leaves(size2);
    MemoryHashStore store = store(leaves);
    ProofBuilder builder = new ProofBuilder(store);
    Hash root1 = builder.root(size1);
    Hash root2 = builder.root(size2);
    ConsistencyProof proof = builder.consistency(size1, size2);
    ProofVerifier.verifyConsistency(proof, root1, root2);

    List<Hash> hashes = new ArrayList<>(proof.hashes());
    int bit = flip % (hashes.size() * Hash.SIZE * 8);
    int which = bit / (Hash.SIZE * 8);
    hashes.set(which, flipped(hashes.get(which), bit % (Hash.SIZE * 8)));
    assertThatThrownBy(
            () ->
                ProofVerifier.verifyConsistency(
                    new ConsistencyProof(size1, size2, hashes), root1, root2))
        .isInstanceOf(ProofException.class);
    // Other sizes: refused whenever the proof cannot have that shape (see the inclusion case).
    ReferenceTree wider = new ReferenceTree(leaves(size2 + 1));
    if (wider.proof(size1, size2 + 1).size() != proof.hashes().size()) {
      assertThatThrownBy(
              () ->
                  ProofVerifier.verifyConsistency(
                      new ConsistencyProof(size1, size2 + 1, proof.hashes()), root1, root2))
          .isInstanceOf(ProofException.class);
    }
    if (size1 + 1 < size2 && wider.proof(size1 + 1, size2).size() != proof.hashes().size()) {
      assertThatThrownBy(
              () ->
                  ProofVerifier.verifyConsistency(
                      new ConsistencyProof(size1 + 1, size2, proof.hashes()), root1, root2))
          .isInstanceOf(ProofException.class);
    }
  }

  static List<Hash> leaves(int size) {
    List<Hash> leaves = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      leaves.add(TreeHasher.leafHash(ByteBuffer.allocate(4).putInt(i).array()));
    }
    return leaves;
  }

  static MemoryHashStore store(List<Hash> leaves) {
    MemoryHashStore store = new MemoryHashStore();
    leaves.forEach(store::append);
    return store;
  }

  static Hash flipped(Hash h, int bit) {
    byte[] b = h.toByteArray();
    b[bit / 8] ^= (byte) (1 << (bit % 8));
    return Hash.of(b);
  }
}
