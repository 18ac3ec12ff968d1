package org.salus.core.ledger.note;

/**
 * The signature types of C2SP signed-note keys that Salus uses: the type byte enters the key ID and
 * the vkey encoding.
 */
public enum KeyType {
  /** A log's Ed25519 note signature (c2sp.org/signed-note). */
  ED25519((byte) 0x01),
  /** A witness's Ed25519 timestamped cosignature (c2sp.org/tlog-cosignature, cosignature/v1). */
  COSIGNATURE_V1((byte) 0x04);

  private final byte id;

  KeyType(byte id) {
    this.id = id;
  }

  public byte id() {
    return id;
  }

  static KeyType of(byte id) {
    for (KeyType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    throw NoteException.malformed("unsupported key type 0x" + Integer.toHexString(id & 0xff));
  }
}
