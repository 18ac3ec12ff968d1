package org.salus.server.credential;

import com.authlete.sd.Disclosure;
import com.authlete.sd.SDJWT;
import com.authlete.sd.SDObjectDecoder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The signature and disclosure checks of RFC 9901 section 7.1 and 7.3, one per method. */
final class SdJwtChecks {

  private SdJwtChecks() {}

  /** True if {@code jwt} is signed by {@code key} with the one algorithm that key allows. */
  static boolean signedBy(SignedJWT jwt, JWK key) {
    Optional<JWSAlgorithm> alg = JwsKeys.algorithm(key);
    Optional<JWSVerifier> verifier = JwsKeys.verifier(key);
    if (alg.isEmpty() || verifier.isEmpty() || !alg.get().equals(jwt.getHeader().getAlgorithm())) {
      return false;
    }
    try {
      return jwt.verify(verifier.get());
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }

  /**
   * True if every disclosure's digest appears exactly once among the digests of the payload (or of
   * another disclosure's value), as section 7.1 step 3 asks.
   */
  static boolean disclosuresReferenced(Map<String, Object> payload, List<Disclosure> disclosures) {
    Set<String> digests = new HashSet<>();
    collectDigests(payload, digests);
    for (Disclosure d : disclosures) {
      collectDigests(d.getClaimValue(), digests);
    }
    Set<String> seen = new HashSet<>();
    for (Disclosure d : disclosures) {
      String digest = d.digest();
      if (!digests.contains(digest) || !seen.add(digest)) {
        return false;
      }
    }
    return true;
  }

  /** The payload with the disclosed claims put back and the SD machinery removed. */
  static Map<String, Object> decode(Map<String, Object> payload, List<Disclosure> disclosures) {
    return new SDObjectDecoder().decode(payload, disclosures);
  }

  /** The SD-JWT as presented, without its key-binding JWT: the input of {@code sd_hash}. */
  static String withoutKeyBinding(SDJWT sdJwt) {
    return new SDJWT(sdJwt.getCredentialJwt(), sdJwt.getDisclosures()).toString();
  }

  private static void collectDigests(Object node, Set<String> out) {
    if (node instanceof Map<?, ?> map) {
      if (map.get("_sd") instanceof List<?> sd) {
        sd.forEach(d -> out.add(String.valueOf(d)));
      }
      if (map.size() == 1 && map.get("...") instanceof String d) {
        out.add(d);
      }
      map.values().forEach(v -> collectDigests(v, out));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collectDigests(v, out));
    }
  }
}
