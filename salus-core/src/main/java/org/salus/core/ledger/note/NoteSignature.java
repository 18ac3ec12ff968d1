package org.salus.core.ledger.note;

import java.util.Base64;

/**
 * One signature line of a signed note, {@code — <name> base64(key ID || signature)}; {@code
 * signature} is the base64 of the bytes after the 4-byte key ID (for a cosignature: the 8-byte
 * timestamp and the Ed25519 signature).
 */
public record NoteSignature(String keyName, int keyId, String signature) {

  public NoteSignature {
    VerifierKey.checkName(keyName);
    Base64.getDecoder().decode(signature);
  }

  static NoteSignature of(String keyName, int keyId, byte[] signature) {
    return new NoteSignature(keyName, keyId, Base64.getEncoder().encodeToString(signature));
  }

  byte[] signatureBytes() {
    return Base64.getDecoder().decode(signature);
  }

  /** Whether this line claims to be by {@code key} (name and key ID match). */
  public boolean isBy(VerifierKey key) {
    return keyName.equals(key.name()) && keyId == key.keyId();
  }

  /** The line as it appears in the note, without its newline. */
  public String line() {
    byte[] sig = signatureBytes();
    byte[] payload = new byte[4 + sig.length];
    payload[0] = (byte) (keyId >>> 24);
    payload[1] = (byte) (keyId >>> 16);
    payload[2] = (byte) (keyId >>> 8);
    payload[3] = (byte) keyId;
    System.arraycopy(sig, 0, payload, 4, sig.length);
    return "\u2014 " + keyName + " " + Base64.getEncoder().encodeToString(payload);
  }
}
