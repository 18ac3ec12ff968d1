package org.salus.core.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsentChoicesTest {

  private static final ConsentChoices NONE =
      ConsentChoices.of(ConsentHistory.empty(Fixtures.PATIENT));

  @Test
  void settingAChoiceAgainReplacesIt() {
    Provision root =
        NONE.setPurpose(Purpose.HRESCH, ProvisionType.PERMIT)
            .setPurpose(Purpose.HRESCH, ProvisionType.DENY)
            .root();
    assertThat(root.provisions())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).contains("purpose-HRESCH");
              assertThat(p.type()).contains(ProvisionType.DENY);
            });
  }

  @Test
  void studyChoicesNestUnderTheirPurposeAndSurviveClearingIt() {
    Provision root =
        NONE.setStudy("S1", Purpose.HRESCH, ProvisionType.PERMIT)
            .setPurpose(Purpose.HRESCH, ProvisionType.DENY)
            .clearPurpose(Purpose.HRESCH)
            .root();
    Provision purpose = root.provisions().get(0);
    assertThat(purpose.type()).isEmpty();
    assertThat(purpose.provisions())
        .extracting(p -> p.id().orElseThrow())
        .containsExactly("study-S1");
  }

  @Test
  void revokingAGrantTakesEffectOnTheNextRequest() {
    ConsentHistory granted = NONE.grant(Fixtures.esGrant()).commit(Fixtures.day(0));
    ConsentHistory revoked = ConsentChoices.of(granted).revokeGrant("g-es").commit(Fixtures.day(1));
    PolicyDecisionPoint pdp = new PolicyDecisionPoint(Fixtures.node("DK"));
    RequestContext ctx =
        RequestContext.of(
            Fixtures.requester("es-doc"), Purpose.TREAT, ConsentAction.ACCESS, Fixtures.day(1));
    AccessRequest req =
        new AccessRequest(ctx, RecordFacts.of(DataClass.ALLERGIES, Set.of(), Fixtures.day(-3)));
    assertThat(pdp.decide(granted, req).permitted()).isTrue();
    assertThat(pdp.decide(revoked, req).permitted()).isFalse();
    assertThat(
            pdp.decideAsOf(revoked, new AccessRequest(ctx.at(Fixtures.day(0)), req.record()))
                .permitted())
        .isTrue();
  }

  @Test
  void revokeAllLeavesOnlyABaseDeny() {
    Provision root =
        NONE.grant(Fixtures.esGrant())
            .setPurpose(Purpose.HRESCH, ProvisionType.PERMIT)
            .revokeAll()
            .root();
    assertThat(root.type()).contains(ProvisionType.DENY);
    assertThat(root.provisions()).isEmpty();
  }

  @Test
  void grantsMustNameClassesAndEnd() {
    ActorMatcher who = new ActorMatcher.ByLicence(Fixtures.ES_LICENCE);
    assertThatThrownBy(
            () ->
                new Grant(
                    "g", who, Set.of(), Interval.between(Fixtures.day(0), Fixtures.day(1)), false))
        .isInstanceOfSatisfying(
            ConsentException.class,
            e -> assertThat(e.code()).isEqualTo("consent.grant.no-classes"));
    assertThatThrownBy(
            () ->
                new Grant(
                    "g", who, Set.of(DataClass.ALLERGIES), Interval.from(Fixtures.day(0)), false))
        .isInstanceOfSatisfying(
            ConsentException.class, e -> assertThat(e.code()).isEqualTo("consent.grant.unbounded"));
  }

  @Test
  void theNarrativeSaysWhatThePatientChoseInPlainWords() {
    ConsentHistory h = Fixtures.consent("research");
    String text = String.join("\n", ConsentNarrative.render(h.current(), Fixtures.node("DK")));
    assertThat(text)
        .contains("You allow use for healthcare research of all your records.")
        .contains("You refuse any use of all your records about mental health.")
        .contains("You refuse use for healthcare research by commercial companies")
        .contains("public health: allowed unless you refuse");
    String granted =
        String.join(
            "\n",
            ConsentNarrative.render(Fixtures.consent("grants").current(), Fixtures.node("DK")));
    assertThat(granted)
        .contains("the clinician with licence ES-28-123456 from urn:salus:register:es-cgcom");
    assertThat(ConsentNarrative.render(Optional.empty(), Fixtures.node("DK")).get(0))
        .isEqualTo("You have not recorded any consent choices.");
  }
}
