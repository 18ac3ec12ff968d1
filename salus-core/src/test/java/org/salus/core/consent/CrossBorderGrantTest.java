package org.salus.core.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's cross-border story at the decision point: a patient at a Danish node grants a clinician
 * credentialed by a Spanish register ten days of the patient summary with write-back; the clinician
 * reads and writes on day 3; on day eleven the clinician is refused.
 */
class CrossBorderGrantTest {

  private final PolicyDecisionPoint pdp = new PolicyDecisionPoint(Fixtures.node("DK"));
  private final Requester spanish = Fixtures.requester("es-doc");
  private final ConsentHistory history =
      ConsentChoices.of(ConsentHistory.empty(Fixtures.PATIENT))
          .grant(Fixtures.esGrant())
          .commit(Fixtures.day(0));

  private ConsentDecision ask(ConsentAction action, DataClass dataClass, int day) {
    RequestContext ctx = RequestContext.of(spanish, Purpose.TREAT, action, Fixtures.day(day));
    return pdp.decideAsOf(
        history, new AccessRequest(ctx, RecordFacts.of(dataClass, Set.of(), Fixtures.day(-30))));
  }

  @Test
  void theGrantedClinicianReadsAndWritesBackWithinTenDaysAndIsRefusedOnDayEleven() {
    ConsentDecision read = ask(ConsentAction.ACCESS, DataClass.PATIENT_SUMMARY, 3);
    ConsentDecision write = ask(ConsentAction.CORRECT, DataClass.RESULTS, 3);
    ConsentDecision late = ask(ConsentAction.ACCESS, DataClass.PATIENT_SUMMARY, 11);

    assertThat(read).isInstanceOf(ConsentDecision.Permit.class);
    assertThat(read.basis())
        .isEqualTo(
            new DecisionBasis.ByProvision(
                "Consent.provision.provision[0].provision[0]",
                java.util.Optional.of("grant-g-es-read")));
    assertThat(write).isInstanceOf(ConsentDecision.Permit.class);
    assertThat(late).isInstanceOf(ConsentDecision.Deny.class);
    assertThat(late.basis())
        .isEqualTo(new DecisionBasis.ByNodeDefault(Purpose.TREAT, DefaultRule.OPT_IN));
    assertThat(read.snapshot())
        .isEqualTo(history.current().orElseThrow().hash())
        .isEqualTo(late.snapshot());
  }

  @Test
  void aDanishClinicianWithoutAGrantIsRefused() {
    RequestContext ctx =
        RequestContext.of(
            Fixtures.requester("dk-doc"), Purpose.TREAT, ConsentAction.ACCESS, Fixtures.day(3));
    assertThat(
            pdp.decideAsOf(
                    history,
                    new AccessRequest(
                        ctx, RecordFacts.of(DataClass.PATIENT_SUMMARY, Set.of(), Fixtures.day(-1))))
                .permitted())
        .isFalse();
  }
}
