package org.salus.server.credential;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.util.Optional;

/**
 * Maps a JWK to its JWS algorithm, signer and verifier. Only Ed25519 (EdDSA, RFC 8037) and P-256
 * (ES256) are accepted: a closed list, so {@code none} or an HMAC can never be chosen by a token.
 */
final class JwsKeys {

  private JwsKeys() {}

  static Optional<JWSAlgorithm> algorithm(JWK key) {
    if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
      return Optional.of(JWSAlgorithm.EdDSA);
    }
    if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
      return Optional.of(JWSAlgorithm.ES256);
    }
    return Optional.empty();
  }

  static Optional<JWSVerifier> verifier(JWK key) {
    try {
      if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        return Optional.of(new Ed25519Verifier(okp.toPublicJWK()));
      }
      if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
        return Optional.of(new ECDSAVerifier(ec.toPublicJWK()));
      }
    } catch (JOSEException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  static JWSSigner signer(JWK key) {
    try {
      if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        return new Ed25519Signer(okp);
      }
      if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
        return new ECDSASigner(ec);
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key cannot sign", e);
    }
    throw new IllegalArgumentException("only Ed25519 and P-256 private keys can sign");
  }
}
