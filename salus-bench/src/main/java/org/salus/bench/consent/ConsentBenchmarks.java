package org.salus.bench.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.salus.core.consent.AccessRequest;
import org.salus.core.consent.ActorMatcher;
import org.salus.core.consent.CohortConsentFilter;
import org.salus.core.consent.ConsentAction;
import org.salus.core.consent.ConsentChoices;
import org.salus.core.consent.ConsentDecision;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.ConsentVersion;
import org.salus.core.consent.DataClass;
import org.salus.core.consent.DefaultRule;
import org.salus.core.consent.Grant;
import org.salus.core.consent.InstitutionKind;
import org.salus.core.consent.Interval;
import org.salus.core.consent.Licence;
import org.salus.core.consent.NodeDefaults;
import org.salus.core.consent.PolicyDecisionPoint;
import org.salus.core.consent.Provision;
import org.salus.core.consent.ProvisionType;
import org.salus.core.consent.Purpose;
import org.salus.core.consent.RecordFacts;
import org.salus.core.consent.RequestContext;
import org.salus.core.consent.Requester;
import org.salus.core.consent.Role;
import org.salus.core.consent.SecurityLabel;
import org.salus.core.consent.SensitiveCategory;

/**
 * Issue 4's targets: a decision for a cached consent (median at most 5 µs) and filtering a cohort
 * of 1,000,000 persons by consent (at most 1 s), including the cohort snapshot hash.
 */
public class ConsentBenchmarks {

  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final Licence ES = new Licence("ES-28-123456", "urn:salus:register:es-cgcom");
  static final NodeDefaults DK =
      NodeDefaults.of(
          "DK", Map.of(Purpose.PUBHLTH, DefaultRule.OPT_OUT, Purpose.HOPERAT, DefaultRule.OPT_OUT));

  /** A patient with research choices, two sensitive denies, an institution deny and two grants. */
  static ConsentHistory typicalConsent(String person) {
    return ConsentChoices.of(ConsentHistory.empty(person))
        .setPurpose(Purpose.HRESCH, ProvisionType.PERMIT)
        .setStudy("S-PHARMA", Purpose.HRESCH, ProvisionType.DENY)
        .denyCategory(SensitiveCategory.MENTAL_HEALTH, Set.of())
        .denyCategory(SensitiveCategory.SUBSTANCE_USE, Set.of(Purpose.HRESCH))
        .denyInstitutionKind(InstitutionKind.COMMERCIAL, Set.of())
        .grant(
            new Grant(
                "g-es",
                new ActorMatcher.ByLicence(ES),
                Set.of(DataClass.PATIENT_SUMMARY, DataClass.ALLERGIES),
                Interval.between(T0, T0.plus(Duration.ofDays(10))),
                true))
        .grant(
            new Grant(
                "g-dk",
                new ActorMatcher.ByRoleAndCountry(Role.CLINICIAN, "DK"),
                Set.of(DataClass.RESULTS),
                Interval.between(T0, T0.plus(Duration.ofDays(30))),
                false))
        .commit(T0);
  }

  /** One decision: a Spanish clinician reads an allergy under a grant, consent cached. */
  @State(Scope.Benchmark)
  public static class Decision {
    PolicyDecisionPoint pdp;
    ConsentHistory history;
    AccessRequest request;

    @Setup
    public void setUp() {
      pdp = new PolicyDecisionPoint(DK);
      history = typicalConsent("person-1");
      Requester es =
          Requester.clinician(
              "Practitioner/es-1", Role.CLINICIAN, ES, "ES", InstitutionKind.PUBLIC);
      request =
          new AccessRequest(
              RequestContext.of(
                  es, Purpose.TREAT, ConsentAction.ACCESS, T0.plus(Duration.ofDays(3))),
              RecordFacts.of(
                  DataClass.ALLERGIES, Set.of(SecurityLabel.GDIS), T0.minus(Duration.ofDays(40))));
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 2)
  @Fork(1)
  public ConsentDecision singleDecision(Decision s) {
    return s.pdp.decideAsOf(s.history, s.request);
  }

  /** 1,000,000 candidates: a quarter without consent, the rest with one of four consents. */
  @State(Scope.Benchmark)
  public static class Cohort {
    CohortConsentFilter filter;
    CohortConsentFilter.Candidate[] candidates;
    RequestContext study;

    @Setup
    public void setUp() {
      filter = new CohortConsentFilter(new PolicyDecisionPoint(DK));
      Provision[] roots = {
        typicalConsent("x").current().orElseThrow().root(),
        ConsentChoices.of(ConsentHistory.empty("x"))
            .setPurpose(Purpose.HRESCH, ProvisionType.DENY)
            .root(),
        ConsentChoices.of(ConsentHistory.empty("x"))
            .setPurpose(Purpose.HRESCH, ProvisionType.DENY)
            .setStudy("S-HEART", Purpose.HRESCH, ProvisionType.PERMIT)
            .root(),
        ConsentChoices.of(ConsentHistory.empty("x")).revokeAll().root(),
      };
      candidates = new CohortConsentFilter.Candidate[1_000_000];
      for (int i = 0; i < candidates.length; i++) {
        String key = String.format("person-%07d", i);
        Optional<ConsentVersion> consent =
            i % 5 == 0
                ? Optional.empty()
                : Optional.of(ConsentVersion.of(key, 1, T0, roots[i % 4]));
        candidates[i] = new CohortConsentFilter.Candidate(key, consent);
      }
      Requester r = Requester.of("Researcher/r-1", Role.RESEARCHER, "DK", InstitutionKind.PUBLIC);
      study =
          RequestContext.of(r, Purpose.HRESCH, ConsentAction.USE, T0.plus(Duration.ofDays(1)))
              .forStudy("S-HEART");
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  @Fork(1)
  public CohortConsentFilter.Selection cohortOfOneMillion(Cohort s) {
    return s.filter.select(s.candidates, s.study);
  }
}
