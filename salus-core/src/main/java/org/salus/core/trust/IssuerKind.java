package org.salus.core.trust;

/** What kind of body issues a credential. */
public enum IssuerKind {
  HOSPITAL,
  EID,
  PROFESSIONAL_REGISTER,
  FEDERATION
}
