package org.salus.server.credential;

import com.authlete.sd.Disclosure;
import com.authlete.sd.SDJWT;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The holder's side: picks the disclosures to reveal and appends a key-binding JWT (RFC 9901
 * section 4.3) over the verifier's nonce, the audience and the hash of what is presented.
 */
public final class CredentialHolder {

  /** The JOSE {@code typ} of a key-binding JWT. */
  public static final JOSEObjectType KB_TYPE = new JOSEObjectType("kb+jwt");

  private final JWK holderKey;

  public CredentialHolder(JWK holderKey) {
    if (!holderKey.isPrivate()) {
      throw new IllegalArgumentException("holder key must include the private part");
    }
    this.holderKey = holderKey;
  }

  /** A presentation revealing only the claims named in {@code reveal}. */
  public String present(
      String credential, Set<String> reveal, String nonce, String audience, Instant now) {
    SDJWT full = SDJWT.parse(credential);
    List<Disclosure> kept =
        full.getDisclosures().stream().filter(d -> reveal.contains(d.getClaimName())).toList();
    String presented = new SDJWT(full.getCredentialJwt(), kept).toString();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issueTime(Date.from(now))
            .audience(audience)
            .claim("nonce", nonce)
            .claim("sd_hash", sdHash(presented))
            .build();
    SignedJWT kb =
        new SignedJWT(
            new JWSHeader.Builder(JwsKeys.algorithm(holderKey).orElseThrow()).type(KB_TYPE).build(),
            claims);
    try {
      kb.sign(JwsKeys.signer(holderKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("key-binding JWT cannot be signed", e);
    }
    return presented + kb.serialize();
  }

  /** RFC 9901 section 4.3.1: base64url(SHA-256(ASCII(issuer JWT ~ disclosures ~))). */
  static String sdHash(String presentedWithoutKb) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(presentedWithoutKb.getBytes(StandardCharsets.US_ASCII));
      return Base64URL.encode(d).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
