package org.salus.core.consent;

import java.util.Objects;

/**
 * A professional licence: the number and the register that issued it (for example {@code
 * urn:salus:register:es-cgcom}). Issuers are URIs listed in the federation's trust list.
 */
public record Licence(String number, String issuer) {
  public Licence {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(issuer, "issuer");
  }
}
