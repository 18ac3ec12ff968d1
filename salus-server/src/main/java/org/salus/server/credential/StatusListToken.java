package org.salus.server.credential;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.salus.core.trust.StatusBits;

/**
 * An issuer's published status list: a JWT of type {@code statuslist+jwt} whose {@code sub} is the
 * list's URI and whose {@code status_list} claim holds {@code bits} and the base64url ZLIB bytes
 * {@code lst} (draft-ietf-oauth-status-list, section 5.1).
 */
public final class StatusListToken {

  public static final JOSEObjectType TYPE = new JOSEObjectType("statuslist+jwt");

  private StatusListToken() {}

  /** Signs the list with the issuer's key. */
  public static String sign(
      JWK issuerKey, String uri, StatusBits bits, Instant now, Duration timeToLive) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(uri)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(timeToLive)))
            .claim("ttl", timeToLive.toSeconds())
            .claim(
                "status_list",
                Map.of("bits", bits.bits(), "lst", Base64URL.encode(bits.compress()).toString()))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JwsKeys.algorithm(issuerKey).orElseThrow())
                .type(TYPE)
                .keyID(issuerKey.getKeyID())
                .build(),
            claims);
    try {
      jwt.sign(JwsKeys.signer(issuerKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("status list cannot be signed", e);
    }
    return jwt.serialize();
  }
}
