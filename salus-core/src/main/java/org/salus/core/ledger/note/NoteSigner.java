package org.salus.core.ledger.note;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Base64;
import org.salus.core.keys.SecretBytes;

/**
 * An Ed25519 signer of notes or cosignatures under a name. Its secret is the 32-byte seed of RFC
 * 8032; the C2SP signer-key text form is {@code PRIVATE+KEY+<name>+<key ID hex>+base64(type ||
 * seed)}.
 */
public final class NoteSigner {

  private final VerifierKey verifierKey;
  private final PrivateKey privateKey;

  private NoteSigner(VerifierKey verifierKey, PrivateKey privateKey) {
    this.verifierKey = verifierKey;
    this.privateKey = privateKey;
  }

  /** A fresh key pair. */
  public static NoteSigner generate(String name, KeyType type, SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, random);
      var pair = g.generateKeyPair();
      return new NoteSigner(
          VerifierKey.of(name, type, Ed25519.rawPublic(pair.getPublic())), pair.getPrivate());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks Ed25519", e);
    }
  }

  /** The signer of the given 32-byte seed. */
  public static NoteSigner fromSeed(String name, KeyType type, SecretBytes seed) {
    byte[] s = seed.toByteArray();
    try {
      PrivateKey key = Ed25519.privateKey(s);
      byte[] pub = publicOf(key);
      return new NoteSigner(VerifierKey.of(name, type, pub), key);
    } finally {
      java.util.Arrays.fill(s, (byte) 0);
    }
  }

  /** Parses the {@code PRIVATE+KEY+...} signer-key text form. */
  public static NoteSigner parse(SecretBytes signerKey) {
    String text = new String(signerKey.toByteArray(), StandardCharsets.UTF_8).strip();
    String[] p = text.split("\\+", 5);
    if (p.length != 5 || !p[0].equals("PRIVATE") || !p[1].equals("KEY")) {
      throw NoteException.malformed("a signer key is PRIVATE+KEY+name+hash+key");
    }
    byte[] typed = Base64.getDecoder().decode(p[4]);
    if (typed.length != 33) {
      throw NoteException.malformed("signer key " + p[2] + " is not an Ed25519 key");
    }
    NoteSigner s =
        fromSeed(
            p[2],
            KeyType.of(typed[0]),
            SecretBytes.copyOf(java.util.Arrays.copyOfRange(typed, 1, 33)));
    if (!s.verifierKey.keyIdHex().equals(p[3])) {
      throw NoteException.malformed("signer key " + p[2] + " has a wrong key ID");
    }
    return s;
  }

  /** The signer-key text form; a secret. */
  public SecretBytes encode() {
    byte[] typed = new byte[33];
    typed[0] = verifierKey.type().id();
    System.arraycopy(Ed25519.rawSeed(privateKey), 0, typed, 1, 32);
    String text =
        "PRIVATE+KEY+"
            + verifierKey.name()
            + "+"
            + verifierKey.keyIdHex()
            + "+"
            + Base64.getEncoder().encodeToString(typed);
    return SecretBytes.copyOf(text.getBytes(StandardCharsets.UTF_8));
  }

  public VerifierKey verifierKey() {
    return verifierKey;
  }

  /** Signs raw message bytes with the Ed25519 key. */
  byte[] signBytes(byte[] message) {
    return Ed25519.sign(privateKey, message);
  }

  /** A signed-note signature over {@code text} (key type {@link KeyType#ED25519}). */
  public NoteSignature sign(String text) {
    if (verifierKey.type() != KeyType.ED25519) {
      throw new IllegalStateException("a cosigner key signs through Cosignatures");
    }
    return NoteSignature.of(
        verifierKey.name(), verifierKey.keyId(), signBytes(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] publicOf(PrivateKey key) {
    // The JDK offers no public-from-private derivation; its Ed25519 generator draws the 32-byte
    // seed from the random source, so a source that returns this seed rebuilds the pair.
    byte[] seed = Ed25519.rawSeed(key);
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, new FixedSeed(seed));
      return Ed25519.rawPublic(g.generateKeyPair().getPublic());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks Ed25519", e);
    }
  }

  /** Hands the generator exactly the given seed, so it rebuilds that key pair. */
  private static final class FixedSeed extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }

  @Override
  public String toString() {
    return "NoteSigner[" + verifierKey.name() + ", secret redacted]";
  }
}
