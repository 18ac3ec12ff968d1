package org.salus.core.ledger.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A public key with its name and type, in the C2SP signed-note {@code vkey} text form {@code
 * <name>+<key ID hex>+<base64(type || key)>}. The key ID is the first four bytes of {@code
 * SHA-256(name || 0x0A || type || key)}.
 */
public final class VerifierKey {

  private final String name;
  private final KeyType type;
  private final byte[] key;
  private final int keyId;
  private final PublicKey publicKey;

  private VerifierKey(String name, KeyType type, byte[] key) {
    this.name = checkName(name);
    this.type = Objects.requireNonNull(type, "type");
    this.key = key.clone();
    this.publicKey = Ed25519.publicKey(this.key);
    this.keyId = keyId(name, type, key);
  }

  /** A key of the given type for the raw 32-byte Ed25519 public key. */
  public static VerifierKey of(String name, KeyType type, byte[] ed25519PublicKey) {
    return new VerifierKey(name, type, ed25519PublicKey);
  }

  /** Parses the {@code vkey} text form, checking that the key ID matches. */
  public static VerifierKey parse(String vkey) {
    String[] parts = vkey.strip().split("\\+", 3);
    if (parts.length != 3 || parts[1].length() != 8) {
      throw NoteException.malformed(
          "a verifier key is name+hash+key, got " + parts.length + " parts");
    }
    byte[] typed;
    try {
      typed = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw NoteException.malformed("verifier key " + parts[0] + " is not base64");
    }
    if (typed.length != 33) {
      throw NoteException.malformed("verifier key " + parts[0] + " is not an Ed25519 key");
    }
    VerifierKey k =
        new VerifierKey(parts[0], KeyType.of(typed[0]), Arrays.copyOfRange(typed, 1, 33));
    if (!String.format("%08x", k.keyId).equals(parts[1])) {
      throw NoteException.malformed("verifier key " + parts[0] + " has a wrong key ID");
    }
    return k;
  }

  public String name() {
    return name;
  }

  public KeyType type() {
    return type;
  }

  /** The 32-bit key ID that prefixes each signature by this key. */
  public int keyId() {
    return keyId;
  }

  public byte[] publicKeyBytes() {
    return key.clone();
  }

  PublicKey publicKey() {
    return publicKey;
  }

  /** The {@code vkey} text form. */
  public String encode() {
    byte[] typed = new byte[33];
    typed[0] = type.id();
    System.arraycopy(key, 0, typed, 1, 32);
    return name
        + "+"
        + String.format("%08x", keyId)
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }

  static int keyId(String name, KeyType type, byte[] key) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(name.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0x0A);
      d.update(type.id());
      d.update(key);
      byte[] h = d.digest();
      return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  static String checkName(String name) {
    if (name.isEmpty()
        || name.contains("+")
        || name.codePoints().anyMatch(Character::isWhitespace)) {
      throw NoteException.malformed("a key name is non-empty, without spaces or '+'");
    }
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifierKey v
        && name.equals(v.name)
        && type == v.type
        && Arrays.equals(key, v.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(key));
  }

  @Override
  public String toString() {
    return encode();
  }

  /** Constant hex for messages. */
  public String keyIdHex() {
    return HexFormat.of().toHexDigits(keyId);
  }
}
