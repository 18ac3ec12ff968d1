package org.salus.bench.trust;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.salus.core.trust.IssuerKind;
import org.salus.core.trust.Role;
import org.salus.core.trust.StatusBits;
import org.salus.core.trust.TrustedIssuer;
import org.salus.server.credential.CredentialHolder;
import org.salus.server.credential.CredentialIssuer;
import org.salus.server.credential.CredentialVerifier;
import org.salus.server.credential.Nonces;
import org.salus.server.credential.PresentationVerdict;
import org.salus.server.credential.StatusListCache;
import org.salus.server.credential.StatusListToken;
import org.salus.server.trust.Ed25519Keys;
import org.salus.server.trust.FederationCa;
import org.salus.server.trust.FederationOperator;
import org.salus.server.trust.TrustListHolder;
import org.salus.server.trust.TrustListVerifier;

/**
 * Verifying a clinician's presentation at a node (issue 3: median at most 1 ms): issuer lookup in
 * the trust list, issuer signature, disclosures, key-binding JWT, nonce, status list. Each
 * invocation gets a fresh presentation (a nonce is single use); making it is not measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PresentationVerifyBench {

  private static final String STATUS_URL = "https://register.example/status/1";

  private CredentialVerifier verifier;
  private CredentialHolder holder;
  private Nonces nonces;
  private String credential;
  private String presentation;

  @Setup(Level.Trial)
  public void federation() {
    Clock clock = Clock.systemUTC();
    FederationOperator op = FederationOperator.create("bench", clock);
    KeyPair tls = FederationCa.newEcKeyPair();
    op.admitNode(
        "node-a",
        "Node A",
        "NL",
        "https://localhost",
        Ed25519Keys.newSigningKey("node-a"),
        Ed25519Keys.newAgreementKey("node-a-x"),
        tls.getPublic());
    OctetKeyPair issuerKey = Ed25519Keys.newSigningKey("register");
    op.addIssuer(
        new TrustedIssuer(
            "register",
            "Register",
            IssuerKind.PROFESSIONAL_REGISTER,
            "NL",
            issuerKey.toPublicJWK().toJSONString(),
            STATUS_URL),
        Set.of("node-a"));
    TrustListHolder trust =
        TrustListHolder.load(
            new TrustListVerifier(op.operatorPublicKey()), op.signedTrustList(), clock);
    StatusListCache status = new StatusListCache(trust, clock);
    status.refresh(
        StatusListToken.sign(
            issuerKey,
            STATUS_URL,
            StatusBits.allValid(1, 4096),
            Instant.now(),
            Duration.ofHours(1)));
    nonces = new Nonces(clock, Duration.ofMinutes(5));
    verifier = new CredentialVerifier("node-a", trust, status, nonces, clock);
    OctetKeyPair holderKey = Ed25519Keys.newSigningKey("holder");
    holder = new CredentialHolder(holderKey);
    credential =
        new CredentialIssuer("register", issuerKey, STATUS_URL, clock)
            .issue(
                Role.CLINICIAN,
                "clin-1",
                Map.of(
                    "profession", "physician",
                    "licence_number", "19-123",
                    "country", "NL",
                    "birthdate", "1980-01-01"),
                holderKey.toPublicJWK(),
                17,
                Duration.ofDays(365));
  }

  @Setup(Level.Invocation)
  public void freshPresentation() {
    presentation =
        holder.present(
            credential, Set.of("profession", "country"), nonces.issue(), "node-a", Instant.now());
  }

  @Benchmark
  public PresentationVerdict verify() {
    PresentationVerdict v = verifier.verify(presentation);
    if (!(v instanceof PresentationVerdict.Verified)) {
      throw new IllegalStateException("benchmark presentation refused: " + v);
    }
    return v;
  }
}
