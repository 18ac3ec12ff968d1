package org.salus.core.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CohortConsentFilterTest {

  private static final RequestContext STUDY =
      RequestContext.of(
              Fixtures.requester("researcher-public"),
              Purpose.HRESCH,
              ConsentAction.USE,
              Fixtures.day(1))
          .forStudy("S-HEART");

  private static CohortConsentFilter.Candidate[] candidates(long seed, int n) {
    Random r = new Random(seed);
    CohortConsentFilter.Candidate[] out = new CohortConsentFilter.Candidate[n];
    for (int i = 0; i < n; i++) {
      String key = "person-" + i;
      Optional<ConsentVersion> consent =
          r.nextInt(4) == 0
              ? Optional.empty()
              : Optional.of(ConsentVersion.of(key, 1, Fixtures.day(0), RandomConsents.root(r)));
      out[i] = new CohortConsentFilter.Candidate(key, consent);
    }
    return out;
  }

  @Test
  void includesExactlyThePersonsTheDecisionPointPermits() {
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(Fixtures.node("DK"));
    CohortConsentFilter.Candidate[] cs = candidates(1, 500);
    List<String> expected = new ArrayList<>();
    for (CohortConsentFilter.Candidate c : cs) {
      if (pdp.decide(c.personKey(), c.consent(), new AccessRequest(STUDY, RecordFacts.person()))
          .permitted()) {
        expected.add(c.personKey());
      }
    }
    CohortConsentFilter.Selection s = new CohortConsentFilter(pdp).select(cs, STUDY);
    assertThat(s.included()).containsExactlyElementsOf(expected).isNotEmpty().hasSizeLessThan(500);
    assertThat(s.considered()).isEqualTo(500);
  }

  @Test
  void theCohortHashDependsOnTheConsentsAndDefaultsNotOnCandidateOrder() {
    CohortConsentFilter filter =
        new CohortConsentFilter(new PolicyDecisionPoint(Fixtures.node("DK")));
    CohortConsentFilter.Candidate[] cs = candidates(2, 100);
    SnapshotHash h = filter.select(cs, STUDY).snapshot();

    List<CohortConsentFilter.Candidate> shuffled = new ArrayList<>(List.of(cs));
    Collections.shuffle(shuffled, new Random(3));
    assertThat(
            filter.select(shuffled.toArray(CohortConsentFilter.Candidate[]::new), STUDY).snapshot())
        .isEqualTo(h);

    CohortConsentFilter.Candidate[] changed = cs.clone();
    changed[7] =
        new CohortConsentFilter.Candidate(
            "person-7",
            Optional.of(
                ConsentVersion.of("person-7", 2, Fixtures.day(1), Provision.deny().build())));
    assertThat(filter.select(changed, STUDY).snapshot()).isNotEqualTo(h);

    CohortConsentFilter other =
        new CohortConsentFilter(new PolicyDecisionPoint(Fixtures.node("OPTOUT")));
    assertThat(other.select(cs, STUDY).snapshot()).isNotEqualTo(h);
  }

  @Test
  void theSearchFilterHidesDeniedRecordsWithoutTrace() {
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(Fixtures.node("DK"));
    ConsentHistory h = Fixtures.consent("grants");
    RequestContext ctx =
        RequestContext.of(
            Fixtures.requester("dk-doc"), Purpose.TREAT, ConsentAction.ACCESS, Fixtures.day(3));
    Predicate<RecordFacts> visible = pdp.filter(h, ctx);
    List<RecordFacts> records =
        List.of(
            RecordFacts.of(DataClass.RESULTS, Set.of(), Fixtures.day(-1)),
            RecordFacts.of(DataClass.RESULTS, Set.of(SecurityLabel.ETH), Fixtures.day(-2)),
            RecordFacts.of(DataClass.ALLERGIES, Set.of(), Fixtures.day(-3)),
            RecordFacts.of(DataClass.RESULTS, Set.of(SecurityLabel.PSY), Fixtures.day(-4)));
    assertThat(records.stream().filter(visible).toList())
        .containsExactly(records.get(0), records.get(3));
  }
}
