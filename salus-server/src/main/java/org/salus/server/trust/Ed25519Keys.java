package org.salus.server.trust;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import java.text.ParseException;
import org.salus.core.error.SalusException;

/** Ed25519 and X25519 keys as JSON Web Keys (RFC 8037). */
public final class Ed25519Keys {

  private Ed25519Keys() {}

  /** A fresh Ed25519 signing key with the given key id. */
  public static OctetKeyPair newSigningKey(String keyId) {
    return generate(Curve.Ed25519, keyId);
  }

  /** A fresh X25519 key-agreement key with the given key id. */
  public static OctetKeyPair newAgreementKey(String keyId) {
    return generate(Curve.X25519, keyId);
  }

  /** Parses a JWK and checks its curve. */
  public static OctetKeyPair parse(String json, Curve curve, String what) {
    try {
      OctetKeyPair k = OctetKeyPair.parse(json);
      if (!curve.equals(k.getCurve())) {
        throw new SalusException(
            "key.wrong-curve", what + " must be on curve " + curve + ", not " + k.getCurve());
      }
      return k;
    } catch (ParseException e) {
      throw new SalusException("key.invalid", what + " is not an OKP JSON Web Key", e);
    }
  }

  private static OctetKeyPair generate(Curve curve, String keyId) {
    try {
      return new OctetKeyPairGenerator(curve).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate " + curve + " key", e);
    }
  }
}
