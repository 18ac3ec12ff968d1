package org.salus.server.trust;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.salus.core.trust.TrustList;
import org.salus.core.trust.TrustListAdmission;
import org.salus.core.trust.TrustListRefusal;

/**
 * Checks a signed trust list: JWS alg EdDSA and type, signature by the operator key, then {@link
 * TrustListAdmission} (federation, version, expiry).
 */
public final class TrustListVerifier {

  private final Ed25519Verifier verifier;

  public TrustListVerifier(OctetKeyPair operatorPublicKey) {
    try {
      this.verifier = new Ed25519Verifier(operatorPublicKey.toPublicJWK());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("operator key is not an Ed25519 key", e);
    }
  }

  public TrustListVerdict verify(String jws, Optional<TrustList> held, Instant now) {
    JWSObject parsed;
    try {
      parsed = JWSObject.parse(jws.strip());
    } catch (ParseException e) {
      return refused(new TrustListRefusal.Malformed("not a compact JWS"));
    }
    if (!JWSAlgorithm.EdDSA.equals(parsed.getHeader().getAlgorithm())
        || !TrustListSigner.TYPE.equals(parsed.getHeader().getType())) {
      return refused(new TrustListRefusal.BadSignature());
    }
    try {
      if (!parsed.verify(verifier)) {
        return refused(new TrustListRefusal.BadSignature());
      }
    } catch (JOSEException e) {
      return refused(new TrustListRefusal.BadSignature());
    }
    TrustList list;
    try {
      list = TrustListCodec.fromJson(parsed.getPayload().toJSONObject());
    } catch (ParseException | IllegalArgumentException | DateTimeParseException e) {
      return refused(new TrustListRefusal.Malformed(String.valueOf(e.getMessage())));
    }
    Optional<TrustListRefusal> refusal = TrustListAdmission.check(list, held, now);
    return refusal
        .<TrustListVerdict>map(TrustListVerdict.Refused::new)
        .orElseGet(() -> new TrustListVerdict.Accepted(list));
  }

  private static TrustListVerdict refused(TrustListRefusal r) {
    return new TrustListVerdict.Refused(r);
  }
}
