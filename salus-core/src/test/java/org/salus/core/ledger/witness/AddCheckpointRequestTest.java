package org.salus.core.ledger.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.ledger.note.Checkpoint;
import org.salus.core.ledger.note.KeyType;
import org.salus.core.ledger.note.NoteSigner;
import org.salus.core.ledger.note.SignedCheckpoint;

/** The c2sp.org/tlog-witness add-checkpoint body: its layout, a round trip, malformed bodies. */
class AddCheckpointRequestTest {

  private static final NoteSigner LOG =
      NoteSigner.generate("example.com/log", KeyType.ED25519, new SecureRandom());

  private static SignedCheckpoint checkpoint(long size) {
    return SignedCheckpoint.sign(
        new Checkpoint("example.com/log", size, Hash.of(new byte[32])), LOG);
  }

  @Test
  void encodesOldSizeProofLinesBlankLineAndTheNote() {
    Hash h1 = Hash.of(new byte[32]);
    byte[] b = new byte[32];
    b[0] = 1;
    Hash h2 = Hash.of(b);
    AddCheckpointRequest r = new AddCheckpointRequest(3, List.of(h1, h2), checkpoint(7));
    String body = r.encode();
    assertThat(body)
        .startsWith("old 3\n" + h1.base64() + "\n" + h2.base64() + "\n\nexample.com/log\n7\n");
    AddCheckpointRequest back = AddCheckpointRequest.parse(body);
    assertThat(back).isEqualTo(r);
    assertThat(back.consistencyProof().size1()).isEqualTo(3);
    assertThat(back.consistencyProof().size2()).isEqualTo(7);
  }

  @Test
  void anEmptyProofHasTheBlankLineRightAfterTheOldSize() {
    String body = new AddCheckpointRequest(0, List.of(), checkpoint(1)).encode();
    assertThat(body).startsWith("old 0\n\nexample.com/log\n1\n");
    assertThat(AddCheckpointRequest.parse(body).proof()).isEmpty();
  }

  @Test
  void malformedBodiesAreRefusedWithOneCode() {
    String good = new AddCheckpointRequest(0, List.of(), checkpoint(1)).encode();
    for (String bad :
        List.of(
            "{}",
            good.replace("old 0", "new 0"),
            good.replace("old 0", "old x"),
            good.replace("old 0", "old -1"),
            "old 0\nnot-base64!\n\n" + checkpoint(1).encode(),
            "old 0\n\nnot a note")) {
      assertThatThrownBy(() -> AddCheckpointRequest.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              SalusException.class,
              e -> assertThat(e.code()).isEqualTo("ledger.witness.malformed"));
    }
  }
}
