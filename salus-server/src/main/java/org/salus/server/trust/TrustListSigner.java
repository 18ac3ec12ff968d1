package org.salus.server.trust;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.OctetKeyPair;
import org.salus.core.trust.TrustList;

/** Signs a trust list with the operator's Ed25519 key: a compact JWS (RFC 7515), alg EdDSA. */
public final class TrustListSigner {

  /** The JWS {@code typ} of a trust list. */
  public static final JOSEObjectType TYPE = new JOSEObjectType("salus-trust-list+jws");

  private final OctetKeyPair operatorKey;

  public TrustListSigner(OctetKeyPair operatorKey) {
    this.operatorKey = operatorKey;
  }

  public String sign(TrustList list) {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(TYPE)
                .keyID(operatorKey.getKeyID())
                .build(),
            new Payload(TrustListCodec.toJson(list)));
    try {
      jws.sign(new Ed25519Signer(operatorKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("trust list cannot be signed", e);
    }
    return jws.serialize();
  }
}
