package org.salus.server.credential;

import com.authlete.sd.SDJWT;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.salus.core.trust.Role;
import org.salus.core.trust.StatusBits;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustedIssuer;
import org.salus.server.trust.TrustListHolder;

/**
 * Verifies a presentation at a node (RFC 9901 section 7): issuer named in the trust list and
 * accepted by this node, issuer signature, {@code vct} a Salus role, validity period, every
 * disclosure referenced, key-binding JWT signed by the {@code cnf} key over this node's fresh
 * nonce, this node as audience and the presented {@code sd_hash}; and the Token Status List.
 */
public final class CredentialVerifier {

  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final Duration KB_MAX_AGE = Duration.ofMinutes(5);
  private static final Set<String> ENVELOPE =
      Set.of("iss", "sub", "vct", "iat", "exp", "nbf", "cnf", "status", "_sd_alg");

  private final String nodeId;
  private final TrustListHolder trustList;
  private final StatusListCache statusLists;
  private final Nonces nonces;
  private final Clock clock;

  public CredentialVerifier(
      String nodeId,
      TrustListHolder trustList,
      StatusListCache statusLists,
      Nonces nonces,
      Clock clock) {
    this.nodeId = nodeId;
    this.trustList = trustList;
    this.statusLists = statusLists;
    this.nonces = nonces;
    this.clock = clock;
  }

  public PresentationVerdict verify(String presentation) {
    try {
      return check(presentation);
    } catch (ParseException | IllegalArgumentException | ClassCastException e) {
      return refuse(CredentialRefusal.MALFORMED);
    }
  }

  private PresentationVerdict check(String presentation) throws ParseException {
    SDJWT sdJwt = SDJWT.parse(presentation.strip());
    if (sdJwt.getBindingJwt() == null) {
      return refuse(CredentialRefusal.MALFORMED);
    }
    SignedJWT credential = SignedJWT.parse(sdJwt.getCredentialJwt());
    JWTClaimsSet claims = credential.getJWTClaimsSet();
    TrustList list = trustList.current();
    Optional<TrustedIssuer> issuer = Optional.ofNullable(claims.getIssuer()).flatMap(list::issuer);
    if (issuer.isEmpty() || !list.accepts(nodeId, issuer.get().id()) || trustList.expired()) {
      return refuse(CredentialRefusal.ISSUER_NOT_ACCEPTED);
    }
    if (!CredentialIssuer.TYPE.equals(credential.getHeader().getType())
        || !SdJwtChecks.signedBy(credential, JWK.parse(issuer.get().jwk()))) {
      return refuse(CredentialRefusal.BAD_SIGNATURE);
    }
    Optional<Role> role =
        Optional.ofNullable(claims.getStringClaim("vct")).flatMap(Role::ofCredentialType);
    if (role.isEmpty()) {
      return refuse(CredentialRefusal.WRONG_TYPE);
    }
    Instant now = clock.instant();
    if (!withinValidity(claims, now)) {
      return refuse(CredentialRefusal.EXPIRED);
    }
    Map<String, Object> payload = claims.toJSONObject();
    if (!SdJwtChecks.disclosuresReferenced(payload, sdJwt.getDisclosures())) {
      return refuse(CredentialRefusal.UNREFERENCED_DISCLOSURE);
    }
    Optional<CredentialRefusal> kb = checkKeyBinding(sdJwt, claims, now);
    if (kb.isPresent()) {
      return refuse(kb.get());
    }
    StatusRef status = statusRef(claims);
    if (!status.uri().equals(issuer.get().statusListUrl())) {
      return refuse(CredentialRefusal.STATUS_UNKNOWN);
    }
    OptionalInt s = statusLists.status(status);
    if (s.isEmpty()) {
      return refuse(CredentialRefusal.STATUS_UNKNOWN);
    }
    if (s.getAsInt() != StatusBits.VALID) {
      return refuse(CredentialRefusal.REVOKED);
    }
    Map<String, Object> disclosed =
        new HashMap<>(SdJwtChecks.decode(payload, sdJwt.getDisclosures()));
    disclosed.keySet().removeAll(ENVELOPE);
    return new PresentationVerdict.Verified(
        new VerifiedCredential(
            issuer.get().id(), claims.getSubject(), role.get(), disclosed, status));
  }

  private Optional<CredentialRefusal> checkKeyBinding(SDJWT sdJwt, JWTClaimsSet claims, Instant now)
      throws ParseException {
    Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
    if (cnf == null || !(cnf.get("jwk") instanceof Map<?, ?>)) {
      return Optional.of(CredentialRefusal.BAD_KEY_BINDING);
    }
    @SuppressWarnings("unchecked")
    JWK holderKey = JWK.parse((Map<String, Object>) cnf.get("jwk"));
    SignedJWT kb = SignedJWT.parse(sdJwt.getBindingJwt());
    if (!CredentialHolder.KB_TYPE.equals(kb.getHeader().getType())
        || !SdJwtChecks.signedBy(kb, holderKey)) {
      return Optional.of(CredentialRefusal.BAD_KEY_BINDING);
    }
    JWTClaimsSet kbClaims = kb.getJWTClaimsSet();
    String expectedHash = CredentialHolder.sdHash(SdJwtChecks.withoutKeyBinding(sdJwt));
    String sdHash = kbClaims.getStringClaim("sd_hash");
    if (sdHash == null
        || !MessageDigest.isEqual(
            sdHash.getBytes(StandardCharsets.US_ASCII),
            expectedHash.getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of(CredentialRefusal.BAD_KEY_BINDING);
    }
    List<String> aud = kbClaims.getAudience();
    if (aud == null || aud.size() != 1 || !aud.get(0).equals(nodeId)) {
      return Optional.of(CredentialRefusal.WRONG_AUDIENCE);
    }
    Date iat = kbClaims.getIssueTime();
    if (iat == null
        || iat.toInstant().isAfter(now.plus(SKEW))
        || iat.toInstant().isBefore(now.minus(KB_MAX_AGE))) {
      return Optional.of(CredentialRefusal.STALE_KEY_BINDING);
    }
    String nonce = kbClaims.getStringClaim("nonce");
    if (nonce == null || !nonces.consume(nonce)) {
      return Optional.of(CredentialRefusal.NONCE_REFUSED);
    }
    return Optional.empty();
  }

  private static boolean withinValidity(JWTClaimsSet claims, Instant now) {
    Date exp = claims.getExpirationTime();
    Date nbf = claims.getNotBeforeTime();
    return exp != null
        && now.isBefore(exp.toInstant())
        && (nbf == null || !now.plus(SKEW).isBefore(nbf.toInstant()));
  }

  private static StatusRef statusRef(JWTClaimsSet claims) throws ParseException {
    Map<String, Object> status = claims.getJSONObjectClaim("status");
    if (status == null || !(status.get("status_list") instanceof Map<?, ?> sl)) {
      throw new ParseException("credential has no status list reference", 0);
    }
    return new StatusRef((String) sl.get("uri"), ((Number) sl.get("idx")).intValue());
  }

  private static PresentationVerdict refuse(CredentialRefusal r) {
    return new PresentationVerdict.Refused(r);
  }
}
