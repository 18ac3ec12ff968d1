package org.salus.core.trust;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A node named in the trust list.
 *
 * @param signingJwk Ed25519 public key (JWK, OKP) the node signs messages and tokens with
 * @param agreementJwk X25519 public key (JWK, OKP) for key agreement
 * @param tlsCertificatePem the node's TLS certificate, issued by the federation CA
 * @param acceptedIssuers ids of the credential issuers this node accepts
 */
public record TrustedNodeEntry(
    String id,
    String name,
    String country,
    String baseUrl,
    String signingJwk,
    String agreementJwk,
    String tlsCertificatePem,
    Set<String> acceptedIssuers) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  public TrustedNodeEntry {
    requireId(id, "node id");
    requireCountry(country);
    acceptedIssuers = Set.copyOf(acceptedIssuers);
  }

  public TrustedNodeEntry withAcceptedIssuers(Set<String> issuers) {
    return new TrustedNodeEntry(
        id, name, country, baseUrl, signingJwk, agreementJwk, tlsCertificatePem, issuers);
  }

  static void requireId(String id, String what) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          what + " '" + id + "' must be lower-case letters, digits, '.' or '-' (at most 63)");
    }
  }

  static void requireCountry(String country) {
    if (!COUNTRY.matcher(country).matches()) {
      throw new IllegalArgumentException(
          "country '" + country + "' must be an ISO 3166-1 alpha-2 code, like NL");
    }
  }
}
