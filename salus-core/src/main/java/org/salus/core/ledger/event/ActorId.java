package org.salus.core.ledger.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.salus.core.ledger.merkle.Hash;

/**
 * The actor of an event as a hash of their credential id, {@code SHA-256("salus.ledger.actor\n" ||
 * id)}: whoever holds the credential id can find its entries; the ledger alone names no one.
 */
public record ActorId(Hash hash) {

  public static ActorId ofCredential(String credentialId) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update("salus.ledger.actor\n".getBytes(StandardCharsets.UTF_8));
      d.update(credentialId.getBytes(StandardCharsets.UTF_8));
      return new ActorId(Hash.of(d.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
