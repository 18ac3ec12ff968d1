package org.salus.core.ledger.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.salus.core.keys.SecretBytes;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.merkle.TreeHasher;

class SignedNoteTest {

  static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void goSumdbNoteKnownAnswerIsReproduced() throws IOException {
    NoteSigner signer =
        NoteSigner.parse(
            SecretBytes.copyOf(resource("peter-neumann.skey").getBytes(StandardCharsets.UTF_8)));
    VerifierKey vkey = VerifierKey.parse(resource("peter-neumann.vkey"));
    Note expected = Note.parse(resource("peter-neumann.note"));

    assertThat(signer.verifierKey()).isEqualTo(vkey);
    assertThat(vkey.encode()).isEqualTo(resource("peter-neumann.vkey").strip());
    assertThat(new Note(expected.text(), List.of(signer.sign(expected.text()))).encode())
        .isEqualTo(resource("peter-neumann.note"));
    assertThat(expected.signatures().get(0).isBy(vkey)).isTrue();
  }

  @Test
  void aMangledVerifierKeyIsRefused() {
    String good = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    assertThatThrownBy(() -> VerifierKey.parse(good.replace("c74f20a3", "c74f20a4")))
        .isInstanceOf(NoteException.class);
    assertThatThrownBy(() -> VerifierKey.parse("Peter+" + good)).isInstanceOf(NoteException.class);
  }

  @Test
  void checkpointsRoundTripAndVerify() {
    NoteSigner log = NoteSigner.generate("node-a.example/ledger", KeyType.ED25519, RANDOM);
    Checkpoint cp =
        new Checkpoint(
            "node-a.example/ledger", 42, TreeHasher.leafHash(new byte[] {1}), List.of("ext one"));
    SignedCheckpoint signed = SignedCheckpoint.sign(cp, log);

    SignedCheckpoint parsed = SignedCheckpoint.parse(signed.encode());

    assertThat(parsed).isEqualTo(signed);
    assertThat(parsed.checkpoint().body())
        .isEqualTo("node-a.example/ledger\n42\n" + cp.root().base64() + "\next one\n");
    parsed.verifyLog(log.verifierKey());
  }

  @Test
  void aChangedCheckpointOrAnotherKeyIsRefused() {
    NoteSigner log = NoteSigner.generate("node-a", KeyType.ED25519, RANDOM);
    NoteSigner other = NoteSigner.generate("node-a", KeyType.ED25519, RANDOM);
    Checkpoint cp = new Checkpoint("node-a", 7, TreeHasher.emptyRoot());
    SignedCheckpoint signed = SignedCheckpoint.sign(cp, log);
    SignedCheckpoint moved =
        new SignedCheckpoint(new Checkpoint("node-a", 8, cp.root()), signed.signatures());

    assertThatThrownBy(() -> moved.verifyLog(log.verifierKey()))
        .isInstanceOf(NoteException.class)
        .hasMessageContaining("not signed");
    assertThatThrownBy(() -> signed.verifyLog(other.verifierKey()))
        .isInstanceOf(NoteException.class);
  }

  @Test
  void cosignaturesCarryTheirTimestampAndForgeriesAreRefused() {
    NoteSigner witness = NoteSigner.generate("witness-b", KeyType.COSIGNATURE_V1, RANDOM);
    NoteSigner log = NoteSigner.generate("node-a", KeyType.ED25519, RANDOM);
    Checkpoint cp = new Checkpoint("node-a", 3, Hash.fromHex("ab".repeat(32)));
    SignedCheckpoint signed =
        SignedCheckpoint.sign(cp, log).with(Cosignatures.sign(cp, 1_700_000_000L, witness));

    SignedCheckpoint parsed = SignedCheckpoint.parse(signed.encode());
    assertThat(parsed.cosignedBy(witness.verifierKey())).contains(1_700_000_000L);
    // The cosigner key type enters the key ID: a log key of the same bytes does not match.
    assertThat(VerifierKey.parse(witness.verifierKey().encode())).isEqualTo(witness.verifierKey());

    NoteSignature real = parsed.signatures().get(1);
    byte[] sig = java.util.Base64.getDecoder().decode(real.signature());
    for (int bit = 0; bit < sig.length * 8; bit += 13) {
      byte[] forged = sig.clone();
      forged[bit / 8] ^= (byte) (1 << (bit % 8));
      NoteSignature f =
          new NoteSignature(
              real.keyName(), real.keyId(), java.util.Base64.getEncoder().encodeToString(forged));
      assertThat(Cosignatures.verify(cp, f, witness.verifierKey())).as("bit %d", bit).isEmpty();
    }
    assertThat(
            Cosignatures.verify(
                new Checkpoint("node-a", 4, cp.root()), real, witness.verifierKey()))
        .isEmpty();
  }

  @Test
  void signerKeysRoundTripThroughTheirTextForm() {
    NoteSigner s = NoteSigner.generate("w", KeyType.COSIGNATURE_V1, RANDOM);
    NoteSigner back = NoteSigner.parse(s.encode());
    assertThat(back.verifierKey()).isEqualTo(s.verifierKey());
    assertThat(s.toString()).doesNotContain("PRIVATE");
  }

  static String resource(String name) throws IOException {
    try (InputStream in = SignedNoteTest.class.getResourceAsStream("/vectors/note/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
