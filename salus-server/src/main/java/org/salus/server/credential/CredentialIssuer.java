package org.salus.server.credential;

import com.authlete.sd.Disclosure;
import com.authlete.sd.SDJWT;
import com.authlete.sd.SDObjectBuilder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.salus.core.error.SalusException;
import org.salus.core.trust.CredentialSchema;
import org.salus.core.trust.Role;

/**
 * Issues SD-JWT VCs (RFC 9901; SD-JWT VC draft: {@code typ} {@code dc+sd-jwt}, {@code vct}) with
 * every role claim selectively disclosable, the holder's public key in {@code cnf} (RFC 7800) and a
 * Token Status List reference in {@code status}.
 */
public final class CredentialIssuer {

  /** The JOSE {@code typ} of an issued credential. */
  public static final JOSEObjectType TYPE = new JOSEObjectType("dc+sd-jwt");

  private final String issuerId;
  private final JWK key;
  private final String statusListUrl;
  private final Clock clock;

  public CredentialIssuer(String issuerId, JWK key, String statusListUrl, Clock clock) {
    if (!key.isPrivate()) {
      throw new IllegalArgumentException("issuer key must include the private part");
    }
    this.issuerId = issuerId;
    this.key = key;
    this.statusListUrl = statusListUrl;
    this.clock = clock;
  }

  /**
   * Issues a credential.
   *
   * @param claims the role's claims ({@link CredentialSchema#requiredClaims(Role)}) and optionally
   *     the personal ones; all become disclosures
   * @param statusIndex this credential's index in the issuer's status list
   */
  public String issue(
      Role role,
      String subject,
      Map<String, Object> claims,
      JWK holderPublicKey,
      int statusIndex,
      Duration validity) {
    for (String required : CredentialSchema.requiredClaims(role)) {
      if (!claims.containsKey(required)) {
        throw new SalusException(
            "credential.claim-missing",
            "a " + role.wireName() + " credential needs the claim '" + required + "'");
      }
    }
    SDObjectBuilder b = new SDObjectBuilder();
    List<Disclosure> disclosures = new ArrayList<>();
    for (Map.Entry<String, Object> c : claims.entrySet()) {
      disclosures.add(b.putSDClaim(c.getKey(), c.getValue()));
    }
    b.putDecoyDigests(2);
    Instant now = clock.instant();
    b.putClaim("iss", issuerId);
    b.putClaim("sub", subject);
    b.putClaim("vct", role.credentialType());
    b.putClaim("iat", now.getEpochSecond());
    b.putClaim("exp", now.plus(validity).getEpochSecond());
    b.putClaim("cnf", Map.of("jwk", holderPublicKey.toPublicJWK().toJSONObject()));
    b.putClaim("status", Map.of("status_list", Map.of("idx", statusIndex, "uri", statusListUrl)));
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JwsKeys.algorithm(key).orElseThrow())
                  .type(TYPE)
                  .keyID(key.getKeyID())
                  .build(),
              JWTClaimsSet.parse(b.build(true)));
      jwt.sign(JwsKeys.signer(key));
      return new SDJWT(jwt.serialize(), disclosures).toString();
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("credential cannot be signed", e);
    }
  }

  public String issuerId() {
    return issuerId;
  }
}
