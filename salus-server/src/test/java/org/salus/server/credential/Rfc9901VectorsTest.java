package org.salus.server.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.authlete.sd.SDJWT;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * RFC 9901's examples (src/test/resources/vectors/sd-jwt, see its README) through our checks: every
 * {@code valid-*} file passes all of them, every {@code invalid-*} file fails at least one. All
 * files are checked and every wrong verdict reported.
 */
class Rfc9901VectorsTest {

  /** RFC 9901 Appendix A.5, the issuer key of the examples (public part). */
  private static final String ISSUER_KEY =
      """
      {"kty": "EC", "crv": "P-256",
       "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
       "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"}
      """;

  @Test
  void everyVectorGetsTheVerdictItsNameStates() throws Exception {
    List<String> wrong = new ArrayList<>();
    int count = 0;
    for (Path f : vectors()) {
      count++;
      String name = f.getFileName().toString();
      boolean ok = verifies(Files.readString(f).strip());
      if (name.startsWith("valid-") != ok) {
        wrong.add(name + (ok ? " verified but must be refused" : " was refused but must verify"));
      }
    }
    assertThat(count).isGreaterThanOrEqualTo(6);
    assertThat(wrong).isEmpty();
  }

  @Test
  void section51DisclosesTheRfcsProcessedPayload() throws Exception {
    Map<String, Object> claims = processed("valid-5.1-issuance.txt");
    assertThat(claims)
        .containsEntry("given_name", "John")
        .containsEntry("family_name", "Doe")
        .containsEntry("email", "johndoe@example.com")
        .containsEntry("birthdate", "1940-01-01")
        .containsEntry("nationalities", List.of("US", "DE"))
        .doesNotContainKeys("_sd", "_sd_alg");
  }

  @Test
  void appendixA1DisclosesOnlyRegionAndCountryOfTheAddress() throws Exception {
    Map<String, Object> claims = processed("valid-a.1-nested-address.txt");
    assertThat(claims.get("address")).isEqualTo(Map.of("region", "\u6e2f\u533a", "country", "JP"));
    assertThat(claims).doesNotContainKeys("given_name", "birthdate");
  }

  @Test
  void section52KeyBindingCarriesTheRfcsNonceAndAudience() throws Exception {
    SDJWT p = SDJWT.parse(read("valid-5.2-presentation-kb.txt"));
    JWTClaimsSet kb = SignedJWT.parse(p.getBindingJwt()).getJWTClaimsSet();
    assertThat(kb.getStringClaim("nonce")).isEqualTo("1234567890");
    assertThat(kb.getAudience()).containsExactly("https://verifier.example.org");
    assertThat(kb.getStringClaim("sd_hash"))
        .isEqualTo(CredentialHolder.sdHash(SdJwtChecks.withoutKeyBinding(p)));
  }

  private static boolean verifies(String serialized) {
    try {
      SDJWT sd = SDJWT.parse(serialized);
      SignedJWT jwt = SignedJWT.parse(sd.getCredentialJwt());
      if (!SdJwtChecks.signedBy(jwt, JWK.parse(ISSUER_KEY))) {
        return false;
      }
      Map<String, Object> payload = jwt.getJWTClaimsSet().toJSONObject();
      if (!SdJwtChecks.disclosuresReferenced(payload, sd.getDisclosures())) {
        return false;
      }
      if (sd.getBindingJwt() == null) {
        return true;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> cnf = (Map<String, Object>) payload.get("cnf");
      @SuppressWarnings("unchecked")
      ECKey holder = ECKey.parse((Map<String, Object>) cnf.get("jwk"));
      SignedJWT kb = SignedJWT.parse(sd.getBindingJwt());
      return SdJwtChecks.signedBy(kb, holder)
          && CredentialHolder.sdHash(SdJwtChecks.withoutKeyBinding(sd))
              .equals(kb.getJWTClaimsSet().getStringClaim("sd_hash"));
    } catch (Exception e) {
      return false;
    }
  }

  private static Map<String, Object> processed(String file) throws Exception {
    SDJWT sd = SDJWT.parse(read(file));
    Map<String, Object> payload =
        SignedJWT.parse(sd.getCredentialJwt()).getJWTClaimsSet().toJSONObject();
    return SdJwtChecks.decode(payload, sd.getDisclosures());
  }

  private static String read(String file) throws IOException, URISyntaxException {
    return Files.readString(dir().resolve(file)).strip();
  }

  private static List<Path> vectors() throws IOException, URISyntaxException {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
  }

  private static Path dir() throws URISyntaxException {
    return Path.of(Rfc9901VectorsTest.class.getResource("/vectors/sd-jwt/README.md").toURI())
        .getParent();
  }
}
