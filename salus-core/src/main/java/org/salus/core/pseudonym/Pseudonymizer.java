package org.salus.core.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.salus.core.keys.SecretBytes;

/**
 * Turns source identifiers into pseudonymous keys: HMAC-SHA-256 under the node's pseudonymisation
 * secret, hex-encoded. The same identifier gives the same key within a node; nodes with different
 * secrets give unlinkable keys. Domain separation keeps a person key and a record key of the same
 * string apart.
 */
public final class Pseudonymizer {

  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private final SecretKeySpec key;

  public Pseudonymizer(SecretBytes secret) {
    if (secret.length() < 32) {
      throw new IllegalArgumentException(
          "pseudonymisation secret must be at least 32 bytes, got " + secret.length());
    }
    this.key = new SecretKeySpec(secret.toByteArray(), ALGORITHM);
  }

  /** The key of the person with this source identifier (for example {@code system|value}). */
  public String personKey(String sourceIdentifier) {
    return hash("person", sourceIdentifier);
  }

  /** The key of a source record, for example {@code Condition/abc} or {@code msg-17/OBX/3}. */
  public String recordKey(String sourceRecord) {
    return hash("record", sourceRecord);
  }

  private String hash(String domain, String value) {
    Mac mac = newMac();
    mac.update(domain.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return HEX.formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("pseudonymisation key rejected by the JDK", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 is not available in this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Pseudonymizer[HMAC-SHA-256, key redacted]";
  }
}
