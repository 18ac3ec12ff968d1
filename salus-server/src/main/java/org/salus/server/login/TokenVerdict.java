package org.salus.server.login;

/** The outcome of checking an access token. */
public sealed interface TokenVerdict {

  record Valid(Principal principal) implements TokenVerdict {}

  /**
   * @param code stable code such as {@code token.expired}
   * @param reason one line for the caller; names the failed check, never echoes the token
   */
  record Invalid(String code, String reason) implements TokenVerdict {}
}
