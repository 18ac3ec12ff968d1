package org.salus.core.trust;

/**
 * A credential issuer named in the trust list.
 *
 * @param id stable identifier, also the {@code iss} of its credentials
 * @param jwk the issuer's public signing key as a JSON Web Key (RFC 7517)
 * @param statusListUrl where the issuer publishes its Token Status List
 */
public record TrustedIssuer(
    String id, String name, IssuerKind kind, String country, String jwk, String statusListUrl) {

  public TrustedIssuer {
    TrustedNodeEntry.requireId(id, "issuer id");
    TrustedNodeEntry.requireCountry(country);
  }
}
