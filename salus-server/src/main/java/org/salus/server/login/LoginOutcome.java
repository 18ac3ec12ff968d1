package org.salus.server.login;

import org.salus.server.credential.CredentialRefusal;

/** What a login attempt yields. */
public sealed interface LoginOutcome {

  record LoggedIn(AccessToken token) implements LoginOutcome {}

  record Refused(CredentialRefusal reason) implements LoginOutcome {}
}
