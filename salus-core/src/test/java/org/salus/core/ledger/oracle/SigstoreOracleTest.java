package org.salus.core.ledger.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstore.encryption.signers.Verifiers;
import dev.sigstore.merkle.InclusionProofVerificationException;
import dev.sigstore.merkle.InclusionProofVerifier;
import dev.sigstore.rekor.client.Checkpoints;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.InclusionProof;
import org.salus.core.ledger.merkle.MemoryHashStore;
import org.salus.core.ledger.merkle.ProofBuilder;
import org.salus.core.ledger.merkle.TreeHasher;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;

/** sigstore-java, an independent implementation, accepts our proofs and checkpoints. */
class SigstoreOracleTest {

  static final SecureRandom RANDOM = new SecureRandom();

  @Property(tries = 200)
  void sigstoreVerifiesOurInclusionProofs(
      @ForAll @IntRange(min = 1, max = 2000) int size, @ForAll @IntRange(min = 0, max = 1999) int i)
      throws Exception {
    int index = i % size;
    MemoryHashStore store = new MemoryHashStore();
    for (int k = 0; k < size; k++) {
      store.append(TreeHasher.leafHash(("leaf " + k).getBytes(StandardCharsets.UTF_8)));
    }
    InclusionProof proof = new ProofBuilder(store).inclusion(index, size);
    List<byte[]> hashes = proof.hashes().stream().map(Hash::toByteArray).toList();

    InclusionProofVerifier.verify(
        store.node(0, index).toByteArray(), index, size, hashes, store.root().toByteArray());

    byte[] wrongRoot = store.root().toByteArray();
    wrongRoot[0] ^= 1;
    assertThatThrownBy(
            () ->
                InclusionProofVerifier.verify(
                    store.node(0, index).toByteArray(), index, size, hashes, wrongRoot))
        .isInstanceOf(InclusionProofVerificationException.class);
  }

  @Test
  void sigstoreParsesOurCheckpointAndVerifiesItsSignature() throws Exception {
    NoteSigner log = NoteSigner.generate("node-a.example/ledger", KeyType.ED25519, RANDOM);
    Checkpoint cp =
        new Checkpoint("node-a.example/ledger", 1234, TreeHasher.leafHash(new byte[] {7}));
    SignedCheckpoint signed = SignedCheckpoint.sign(cp, log);

    var parsed = Checkpoints.from(signed.encode());

    assertThat(parsed.getOrigin()).isEqualTo("node-a.example/ledger");
    assertThat(parsed.getSize()).isEqualTo(1234);
    assertThat(parsed.getBase64Hash()).isEqualTo(cp.root().base64());
    assertThat(parsed.getSignedData()).isEqualTo(cp.body());
    var sig = parsed.getSignatures().get(0);
    assertThat(sig.getIdentity()).isEqualTo("node-a.example/ledger");
    assertThat(HexFormat.of().formatHex(sig.getKeyHint()))
        .isEqualTo(String.format("%08x", log.verifierKey().keyId()));

    var verifier = Verifiers.newVerifier(publicKey(log.verifierKey().publicKeyBytes()));
    byte[] data = parsed.getSignedData().getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(data, sig.getSignature())).isTrue();
    byte[] other =
        new Checkpoint(cp.origin(), 1235, cp.root()).body().getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(other, sig.getSignature())).isFalse();
  }

  static PublicKey publicKey(byte[] raw) throws Exception {
    byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
    byte[] der = new byte[spki.length + raw.length];
    System.arraycopy(spki, 0, der, 0, spki.length);
    System.arraycopy(raw, 0, der, spki.length, raw.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }
}
