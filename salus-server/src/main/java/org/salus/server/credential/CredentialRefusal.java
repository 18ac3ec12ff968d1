package org.salus.server.credential;

/**
 * Why a presentation was refused. Each has a stable code; the message names the check that failed
 * and nothing an attacker could use (no key material, no claim values).
 */
public enum CredentialRefusal {
  MALFORMED("credential.malformed", "presentation is not an SD-JWT with a key-binding JWT"),
  ISSUER_NOT_ACCEPTED("credential.issuer-not-accepted", "issuer is not accepted by this node"),
  BAD_SIGNATURE("credential.bad-signature", "credential signature does not verify"),
  WRONG_TYPE("credential.wrong-type", "credential type is not a Salus role"),
  EXPIRED("credential.expired", "credential has expired or is not yet valid"),
  UNREFERENCED_DISCLOSURE(
      "credential.bad-disclosure", "a disclosure is not part of the credential"),
  BAD_KEY_BINDING("credential.bad-key-binding", "key-binding JWT does not verify"),
  WRONG_AUDIENCE("credential.wrong-audience", "key-binding JWT is for another audience"),
  STALE_KEY_BINDING(
      "credential.stale-key-binding", "key-binding JWT is too old or from the future"),
  NONCE_REFUSED("credential.nonce-refused", "nonce was not issued here, already used, or expired"),
  STATUS_UNKNOWN("credential.status-unknown", "credential status list is not available"),
  REVOKED("credential.revoked", "credential has been revoked or suspended");

  private final String code;
  private final String message;

  CredentialRefusal(String code, String message) {
    this.code = code;
    this.message = message;
  }

  public String code() {
    return code;
  }

  public String message() {
    return message;
  }
}
