package org.salus.server.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.OctetKeyPair;
import eu.europa.ec.eudi.sdjwt.JwtSignatureVerifier;
import eu.europa.ec.eudi.sdjwt.KeyBindingVerifier;
import eu.europa.ec.eudi.sdjwt.NimbusSdJwtOps;
import eu.europa.ec.eudi.sdjwt.SdJwtAndKbJwt;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.salus.core.trust.Role;
import org.salus.server.trust.Ed25519Keys;

/**
 * An independent implementation as oracle: the EU reference library eudi-lib-jvm-sdjwt-kt verifies
 * the SD-JWT VCs we issue and the key-binding JWTs our holders make, and refuses tampered ones.
 * (Its verify functions are Kotlin {@code suspend} functions with mangled names, hence reflection
 * and {@code runBlocking}.)
 */
class EudiInteropTest {

  private final OctetKeyPair issuerKey = Ed25519Keys.newSigningKey("issuer");
  private final OctetKeyPair holderKey = Ed25519Keys.newSigningKey("holder");
  private final CredentialIssuer issuer =
      new CredentialIssuer("hospital-nl", issuerKey, "https://h.example/status", Clock.systemUTC());

  private String credential() {
    return issuer.issue(
        Role.PATIENT,
        "p-1",
        Map.of("home_node", "node-a", "record_ref", "r-9", "birthdate", "1990-01-01"),
        holderKey.toPublicJWK(),
        4,
        Duration.ofDays(30));
  }

  @Test
  void theEuLibraryVerifiesOurPresentationWithKeyBinding() throws Exception {
    String p =
        new CredentialHolder(holderKey)
            .present(credential(), Set.of("home_node"), "n-123", "node-a", Instant.now());
    Object result = eudiVerify(issuerKey, p, "n-123", "node-a");
    assertThat(result).isInstanceOf(SdJwtAndKbJwt.class);
    SdJwtAndKbJwt<?> ok = (SdJwtAndKbJwt<?>) result;
    assertThat(ok.getSdJwt().getDisclosures()).hasSize(1);
    String shown = ok.getSdJwt().getDisclosures().get(0).toString();
    String encoded = shown.substring(shown.indexOf('=') + 1, shown.lastIndexOf(')'));
    assertThat(com.authlete.sd.Disclosure.parse(encoded).getClaimName()).isEqualTo("home_node");
  }

  @Test
  void theEuLibraryRefusesAPresentationSignedByAnotherIssuer() throws Exception {
    String p =
        new CredentialHolder(holderKey)
            .present(credential(), Set.of("home_node"), "n-1", "node-a", Instant.now());
    Object result = eudiVerify(Ed25519Keys.newSigningKey("other"), p, "n-1", "node-a");
    assertThat(result).isInstanceOf(Throwable.class);
  }

  @Test
  void theEuLibraryRefusesAKeyBindingForAnotherNonce() throws Exception {
    String p =
        new CredentialHolder(holderKey)
            .present(credential(), Set.of("home_node"), "n-1", "node-a", Instant.now());
    Object result = eudiVerify(issuerKey, p, "n-2", "node-a");
    assertThat(result).isInstanceOf(Throwable.class);
  }

  /** The verified SD-JWT, or the Throwable the library failed with. */
  private static Object eudiVerify(
      OctetKeyPair issuerPublic, String presentation, String nonce, String audience)
      throws Exception {
    NimbusSdJwtOps ops = NimbusSdJwtOps.INSTANCE;
    JwtSignatureVerifier<?> jwtVerifier =
        ops.asJwtVerifier(new Ed25519Verifier(issuerPublic.toPublicJWK()));
    JsonObject challenge =
        new JsonObject(
            Map.of(
                "nonce", JsonElementKt.JsonPrimitive(nonce),
                "aud", JsonElementKt.JsonPrimitive(audience)));
    // Mask 1: the default holder-key extractor (the cnf claim); the challenge is ours.
    Object kb =
        Arrays.stream(NimbusSdJwtOps.class.getDeclaredMethods())
            .filter(m -> m.getName().equals("mustBePresentAndValid$default"))
            .findFirst()
            .orElseThrow()
            .invoke(null, ops, KeyBindingVerifier.Companion, null, challenge, 1, null);
    Method verify =
        Arrays.stream(NimbusSdJwtOps.class.getMethods())
            .filter(m -> m.getName().startsWith("verify-") && m.getParameterCount() == 4)
            .filter(m -> m.getParameterTypes()[2] == String.class)
            .findFirst()
            .orElseThrow();
    Object result;
    try {
      result =
          BuildersKt.runBlocking(
              EmptyCoroutineContext.INSTANCE,
              (scope, continuation) -> {
                try {
                  return verify.invoke(ops, jwtVerifier, kb, presentation, continuation);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  return e.getCause();
                } catch (IllegalAccessException e) {
                  throw new IllegalStateException(e);
                }
              });
    } catch (Exception refused) {
      // The library reports some refusals by throwing rather than as a failed Result.
      return refused;
    }
    if (result != null && result.getClass().getName().equals("kotlin.Result")) {
      result = result.getClass().getMethod("unbox-impl").invoke(result);
    }
    if (result != null && result.getClass().getName().equals("kotlin.Result$Failure")) {
      return ((kotlin.Result.Failure) result).exception;
    }
    return result;
  }
}
