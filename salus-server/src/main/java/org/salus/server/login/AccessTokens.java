package org.salus.server.login;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.salus.core.trust.CredentialSchema;
import org.salus.core.trust.Role;
import org.salus.core.trust.Scope;
import org.salus.server.credential.StatusRef;
import org.salus.server.credential.VerifiedCredential;

/**
 * Mints and checks a node's access tokens: JWTs (RFC 9068 profile, {@code typ} {@code at+jwt})
 * signed with the node's Ed25519 key, {@code iss} = {@code aud} = node id, at most 15 minutes, with
 * role, scopes and the credential's status reference so that a revocation also ends the token.
 */
public final class AccessTokens {

  /** The patient credential's record link, carried into the token for {@code GET /ledger/mine}. */

  /** The longest an access token lives. */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(15);

  static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

  /** The token claim holding the disclosed, non-personal credential claims (strings only). */
  static final String CLAIMS = "salus_claims";

  private final String nodeId;
  private final OctetKeyPair nodeKey;
  private final Ed25519Verifier verifier;
  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random = new SecureRandom();

  public AccessTokens(String nodeId, OctetKeyPair nodeKey, Clock clock, Duration lifetime) {
    if (lifetime.compareTo(MAX_LIFETIME) > 0 || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException(
          "access token lifetime must be in (0, 15 min], not " + lifetime);
    }
    this.nodeId = nodeId;
    this.nodeKey = nodeKey;
    this.clock = clock;
    this.lifetime = lifetime;
    try {
      this.verifier = new Ed25519Verifier(nodeKey.toPublicJWK());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("node key is not Ed25519", e);
    }
  }

  public AccessToken mint(VerifiedCredential credential) {
    Instant now = clock.instant();
    Instant exp = now.plus(lifetime);
    Set<Scope> scopes = Scope.grantedTo(credential.role());
    byte[] jti = new byte[16];
    random.nextBytes(jti);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(nodeId)
            .audience(nodeId)
            .subject(credential.subject())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(exp))
            .jwtID(Base64URL.encode(jti).toString())
            .claim("role", credential.role().wireName())
            .claim("scope", String.join(" ", scopes.stream().map(Scope::name).sorted().toList()))
            .claim("cred_iss", credential.issuer())
            .claim(
                "cred_status",
                Map.of("uri", credential.status().uri(), "idx", credential.status().index()))
            .claim(CLAIMS, carried(credential))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(TYPE).keyID(nodeKey.getKeyID()).build(),
            claims);
    try {
      jwt.sign(new Ed25519Signer(nodeKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("access token cannot be signed", e);
    }
    return new AccessToken(jwt.serialize(), exp, credential.role(), scopes);
  }

  /** Checks signature (EdDSA only; {@code none} and every other alg refused), audience, time. */
  public TokenVerdict verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return invalid("token.malformed", "token is not a signed JWT (alg none is refused)");
    }
    try {
      if (!JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm())
          || !TYPE.equals(jwt.getHeader().getType())
          || !jwt.verify(verifier)) {
        return invalid("token.bad-signature", "token signature does not verify");
      }
      return checkClaims(jwt.getJWTClaimsSet());
    } catch (JOSEException | ParseException | ClassCastException | NullPointerException e) {
      return invalid("token.malformed", "token claims are malformed");
    }
  }

  private TokenVerdict checkClaims(JWTClaimsSet c) throws ParseException {
    if (!nodeId.equals(c.getIssuer())) {
      return invalid("token.wrong-issuer", "token was not issued by this node");
    }
    List<String> aud = c.getAudience();
    if (aud == null || !aud.equals(List.of(nodeId))) {
      return invalid("token.wrong-audience", "token is for another audience");
    }
    Instant now = clock.instant();
    Date exp = c.getExpirationTime();
    Date iat = c.getIssueTime();
    if (exp == null || iat == null || !now.isBefore(exp.toInstant())) {
      return invalid("token.expired", "token has expired");
    }
    if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(MAX_LIFETIME) > 0) {
      return invalid("token.too-long", "token lifetime exceeds 15 minutes");
    }
    Optional<Role> role = Optional.ofNullable(c.getStringClaim("role")).flatMap(Role::ofWireName);
    if (role.isEmpty()) {
      return invalid("token.malformed", "token names no known role");
    }
    Set<Scope> scopes = new HashSet<>();
    String scope = c.getStringClaim("scope");
    if (scope != null && !scope.isBlank()) {
      Arrays.stream(scope.split(" ")).map(Scope::new).forEach(scopes::add);
    }
    Map<String, Object> st = c.getJSONObjectClaim("cred_status");
    StatusRef status = new StatusRef((String) st.get("uri"), ((Number) st.get("idx")).intValue());
    Map<String, String> carried = new TreeMap<>();
    Map<String, Object> claims = c.getJSONObjectClaim(CLAIMS);
    if (claims != null) {
      claims.forEach((k, v) -> carried.put(k, (String) v));
    }
    return new TokenVerdict.Valid(
        new Principal(
            c.getSubject(), c.getStringClaim("cred_iss"), role.get(), scopes, status, carried));
  }

  /**
   * The disclosed claims a route may need (a patient's record, a clinician's licence and country),
   * without the personal ones of {@link CredentialSchema#PERSONAL}; only string values.
   */
  private static Map<String, Object> carried(VerifiedCredential credential) {
    Map<String, Object> m = new TreeMap<>();
    credential
        .disclosed()
        .forEach(
            (k, v) -> {
              if (v instanceof String s && !CredentialSchema.PERSONAL.contains(k)) {
                m.put(k, s);
              }
            });
    return m;
  }

  private static TokenVerdict invalid(String code, String reason) {
    return new TokenVerdict.Invalid(code, reason);
  }
}
