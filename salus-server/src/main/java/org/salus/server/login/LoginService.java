package org.salus.server.login;

import org.salus.server.credential.CredentialVerifier;
import org.salus.server.credential.Nonces;
import org.salus.server.credential.PresentationVerdict;

/**
 * Exchanges a verified presentation for a short-lived access token. The holder first asks for a
 * nonce ({@link #nonce()}), binds the presentation to it and to this node, then logs in once.
 */
public final class LoginService {

  private final Nonces nonces;
  private final CredentialVerifier verifier;
  private final AccessTokens tokens;

  public LoginService(Nonces nonces, CredentialVerifier verifier, AccessTokens tokens) {
    this.nonces = nonces;
    this.verifier = verifier;
    this.tokens = tokens;
  }

  public String nonce() {
    return nonces.issue();
  }

  public LoginOutcome login(String presentation) {
    return switch (verifier.verify(presentation)) {
      case PresentationVerdict.Verified v -> new LoginOutcome.LoggedIn(tokens.mint(v.credential()));
      case PresentationVerdict.Refused r -> new LoginOutcome.Refused(r.reason());
    };
  }
}
