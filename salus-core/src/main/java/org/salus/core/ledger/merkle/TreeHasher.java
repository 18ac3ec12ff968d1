package org.salus.core.ledger.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Tree hashing of RFC 9162 §2.1.1 with SHA-256: a leaf is hashed as {@code SHA-256(0x00 || data)},
 * an interior node as {@code SHA-256(0x01 || left || right)}, and the empty tree as {@code
 * SHA-256()}. The domain-separation prefixes stop a leaf from being passed off as a node.
 */
public final class TreeHasher {

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final Hash EMPTY = Hash.wrap(newDigest().digest());

  // MessageDigest.getInstance costs a provider look-up per call, about as much as hashing a short
  // entry; each thread reuses one digest instead (digest() resets it).
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(TreeHasher::newDigest);

  private TreeHasher() {}

  /** The hash of the empty tree, {@code SHA-256("")}. */
  public static Hash emptyRoot() {
    return EMPTY;
  }

  /** The leaf hash of an entry's bytes. */
  public static Hash leafHash(byte[] data) {
    MessageDigest d = DIGEST.get();
    d.reset(); // in case an earlier call failed half-way (a null argument)
    d.update(LEAF_PREFIX);
    d.update(data);
    return Hash.wrap(d.digest());
  }

  /** The hash of an interior node whose children have the given hashes. */
  public static Hash nodeHash(Hash left, Hash right) {
    MessageDigest d = DIGEST.get();
    d.reset(); // in case an earlier call failed half-way (a null argument)
    d.update(NODE_PREFIX);
    left.updateDigest(d);
    right.updateDigest(d);
    return Hash.wrap(d.digest());
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
