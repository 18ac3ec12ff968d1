package org.salus.core.ledger.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Ed25519 cosignatures of c2sp.org/tlog-cosignature (cosignature/v1, key type 0x04): the signature
 * is {@code u64 timestamp || Ed25519(message)} where the message is {@code "cosignature/v1\n"},
 * {@code "time <timestamp>\n"} and the checkpoint body.
 */
public final class Cosignatures {

  private Cosignatures() {}

  /** The witness's cosignature of {@code checkpoint} at {@code timestamp} (POSIX seconds). */
  public static NoteSignature sign(Checkpoint checkpoint, long timestamp, NoteSigner witness) {
    VerifierKey key = witness.verifierKey();
    if (key.type() != KeyType.COSIGNATURE_V1) {
      throw new IllegalStateException("key " + key.name() + " is not a cosigner key");
    }
    if (timestamp < 0) {
      throw new IllegalArgumentException("a cosignature timestamp is not negative");
    }
    byte[] sig = witness.signBytes(message(checkpoint, timestamp));
    byte[] payload = ByteBuffer.allocate(8 + sig.length).putLong(timestamp).put(sig).array();
    return NoteSignature.of(key.name(), key.keyId(), payload);
  }

  /** The timestamp of {@code signature} if it is a valid cosignature by {@code witness}. */
  public static Optional<Long> verify(
      Checkpoint checkpoint, NoteSignature signature, VerifierKey witness) {
    if (witness.type() != KeyType.COSIGNATURE_V1 || !signature.isBy(witness)) {
      return Optional.empty();
    }
    byte[] payload = signature.signatureBytes();
    if (payload.length != 8 + 64) {
      return Optional.empty();
    }
    long timestamp = ByteBuffer.wrap(payload).getLong();
    if (timestamp < 0) {
      return Optional.empty();
    }
    byte[] sig = Arrays.copyOfRange(payload, 8, payload.length);
    return Ed25519.verify(witness.publicKey(), message(checkpoint, timestamp), sig)
        ? Optional.of(timestamp)
        : Optional.empty();
  }

  static byte[] message(Checkpoint checkpoint, long timestamp) {
    return ("cosignature/v1\ntime " + timestamp + "\n" + checkpoint.body())
        .getBytes(StandardCharsets.UTF_8);
  }
}
