package org.salus.server.credential;

/** The outcome of verifying a presentation. */
public sealed interface PresentationVerdict {

  record Verified(VerifiedCredential credential) implements PresentationVerdict {}

  record Refused(CredentialRefusal reason) implements PresentationVerdict {}
}
