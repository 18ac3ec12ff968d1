package org.salus.server.credential;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.salus.core.error.SalusException;
import org.salus.core.trust.StatusBits;
import org.salus.core.trust.TrustedIssuer;
import org.salus.server.trust.TrustListHolder;

/**
 * The status lists a node has fetched, by URI. {@link #refresh(String)} accepts a list only when it
 * is signed by the issuer the trust list names for that URI and has not expired; a revocation is
 * therefore enforced from the next refresh on. Fetching is the caller's business.
 */
public final class StatusListCache {

  private final TrustListHolder trustList;
  private final Clock clock;
  private final Map<String, StatusBits> lists = new ConcurrentHashMap<>();

  public StatusListCache(TrustListHolder trustList, Clock clock) {
    this.trustList = trustList;
    this.clock = clock;
  }

  /**
   * Verifies and stores a {@code statuslist+jwt}.
   *
   * @throws SalusException {@code status-list.invalid}
   */
  public void refresh(String statusListJwt) {
    try {
      SignedJWT jwt = SignedJWT.parse(statusListJwt.strip());
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      String uri = claims.getSubject();
      Optional<TrustedIssuer> issuer =
          trustList.current().issuers().stream()
              .filter(i -> i.statusListUrl().equals(uri))
              .findFirst();
      if (issuer.isEmpty() || !StatusListToken.TYPE.equals(jwt.getHeader().getType())) {
        throw invalid("no listed issuer publishes a status list at " + uri);
      }
      Optional<JWSVerifier> verifier = JwsKeys.verifier(JWK.parse(issuer.get().jwk()));
      if (verifier.isEmpty()
          || !JwsKeys.algorithm(JWK.parse(issuer.get().jwk()))
              .orElseThrow()
              .equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(verifier.get())) {
        throw invalid("status list signature does not verify");
      }
      if (claims.getExpirationTime() != null
          && !clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
        throw invalid("status list at " + uri + " has expired");
      }
      Map<String, Object> sl = claims.getJSONObjectClaim("status_list");
      int bits = ((Number) sl.get("bits")).intValue();
      byte[] lst = new Base64URL((String) sl.get("lst")).decode();
      lists.put(uri, StatusBits.decompress(bits, lst));
    } catch (ParseException | JOSEException | ClassCastException | NullPointerException e) {
      throw invalid("status list is malformed");
    }
  }

  /** The status at {@code ref}, if its list has been fetched and covers the index. */
  public OptionalInt status(StatusRef ref) {
    StatusBits bits = lists.get(ref.uri());
    if (bits == null || ref.index() < 0 || ref.index() >= bits.capacity()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(bits.get(ref.index()));
  }

  private static SalusException invalid(String message) {
    return new SalusException("status-list.invalid", message);
  }
}
