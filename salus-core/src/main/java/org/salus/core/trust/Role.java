package org.salus.core.trust;

import java.util.Locale;
import java.util.Optional;

/**
 * Who a person is to a node, as proven by a verifiable credential. Each role has one credential
 * type ({@link #credentialType()}, the SD-JWT VC {@code vct}).
 */
public enum Role {
  PATIENT,
  CLINICIAN,
  RESEARCHER,
  STEWARD,
  AUDITOR;

  private static final String VCT_PREFIX = "urn:salus:credential:";

  /**
   * The {@code vct} of this role's credential, for example {@code urn:salus:credential:patient}.
   */
  public String credentialType() {
    return VCT_PREFIX + wireName();
  }

  /** Lower-case name used in tokens and on the command line. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role whose credential type is {@code vct}, if any. */
  public static Optional<Role> ofCredentialType(String vct) {
    for (Role r : values()) {
      if (r.credentialType().equals(vct)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The role with the given {@link #wireName()}, if any. */
  public static Optional<Role> ofWireName(String name) {
    for (Role r : values()) {
      if (r.wireName().equals(name)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
