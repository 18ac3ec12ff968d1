package org.salus.core.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmergencyAccessTest {

  private static final EmergencyAccessPolicy POLICY = EmergencyAccessPolicy.standard();

  @Test
  void openingYieldsTheAuditRecordAndTheReviewItem() {
    Requester er = Fixtures.requester("er-doc");
    EmergencyOpening o =
        POLICY.open("bg-1", er, Fixtures.PATIENT, "unconscious, no relatives", Fixtures.day(0));
    assertThat(o.audit().kind()).isEqualTo(AuditRecord.Kind.EMERGENCY_ACCESS_OPENED);
    assertThat(o.audit().purpose()).isEqualTo(Purpose.ETREAT);
    assertThat(o.audit().requesterReference()).isEqualTo(er.reference());
    assertThat(o.audit().classes()).isEqualTo(o.access().classes());
    assertThat(o.review().accessId()).isEqualTo("bg-1");
    assertThat(o.review().reason()).isEqualTo("unconscious, no relatives");
    assertThat(o.access().window())
        .isEqualTo(Interval.between(Fixtures.day(0), Fixtures.day(0).plus(Duration.ofHours(4))));
  }

  @Test
  void aReasonIsRequired() {
    assertThatThrownBy(
            () ->
                POLICY.open(
                    "bg-2", Fixtures.requester("er-doc"), Fixtures.PATIENT, "  ", Fixtures.day(0)))
        .isInstanceOfSatisfying(
            ConsentException.class,
            e -> assertThat(e.code()).isEqualTo("consent.emergency.reason-required"));
  }

  @Test
  void onlyEmergencyRolesMayOpen() {
    assertThatThrownBy(
            () ->
                POLICY.open(
                    "bg-3", Fixtures.requester("dk-doc"), Fixtures.PATIENT, "r", Fixtures.day(0)))
        .isInstanceOfSatisfying(
            ConsentException.class, e -> assertThat(e.code()).isEqualTo("consent.emergency.role"));
  }

  @Test
  void anAccessForOnePatientDoesNotOpenAnother() {
    Requester er = Fixtures.requester("er-doc");
    EmergencyAccess access = POLICY.open("bg-4", er, "someone-else", "r", Fixtures.day(0)).access();
    RequestContext ctx =
        RequestContext.of(er, Purpose.ETREAT, ConsentAction.ACCESS, Fixtures.day(0).plusSeconds(60))
            .withEmergency(access);
    ConsentDecision d =
        new PolicyDecisionPoint(Fixtures.node("DK"))
            .decide(
                ConsentHistory.empty(Fixtures.PATIENT),
                new AccessRequest(
                    ctx, RecordFacts.of(DataClass.ALLERGIES, Set.of(), Fixtures.day(-1))));
    assertThat(d).isInstanceOf(ConsentDecision.Deny.class);
  }

  @Test
  void policiesAreBoundedToADay() {
    assertThatThrownBy(
            () ->
                new EmergencyAccessPolicy(
                    Set.of(Role.EMERGENCY_CLINICIAN),
                    Set.of(DataClass.ALLERGIES),
                    Duration.ofDays(2),
                    Set.of()))
        .isInstanceOfSatisfying(
            ConsentException.class,
            e -> assertThat(e.code()).isEqualTo("consent.emergency.duration"));
  }
}
