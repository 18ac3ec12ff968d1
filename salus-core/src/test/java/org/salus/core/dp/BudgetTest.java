package org.salus.core.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BudgetTest {

  private static Budget budget() {
    return new Budget("cohort-2026", "researcher-7", new ZcdpCost(1.0, 0.01));
  }

  @Test
  void chargesUntilTheLimitThenRefusesWithEvidence() {
    Budget b = budget();
    b.charge("r1", ZcdpCost.rho(0.4)).commit();
    b.charge("r2", ZcdpCost.rho(0.4)).commit();
    assertThatThrownBy(() -> b.charge("r3", ZcdpCost.rho(0.4)))
        .isInstanceOf(PrivacyBudgetExceededException.class)
        .hasMessageContaining("cohort-2026/researcher-7")
        .satisfies(
            e -> {
              var x = (PrivacyBudgetExceededException) e;
              assertThat(x.code()).isEqualTo("dp.budget.exceeded");
              assertThat(x.spent().rho())
                  .isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
              assertThat(x.requested().rho()).isEqualTo(0.4);
              assertThat(x.limit().rho()).isEqualTo(1.0);
            });
    // Nothing was charged by the refusal.
    assertThat(b.spent().rho()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
    b.charge("r4", ZcdpCost.rho(0.2)).commit();
    assertThat(b.remaining().rho()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void xiIsBudgetedToo() {
    Budget b = budget();
    assertThatThrownBy(() -> b.charge("skellam", new ZcdpCost(0.01, 0.02)))
        .isInstanceOf(PrivacyBudgetExceededException.class);
  }

  @Test
  void openChargesCountAndAbandonReturnsThem() {
    Budget b = budget();
    BudgetCharge open = b.charge("r1", ZcdpCost.rho(0.7));
    assertThatThrownBy(() -> b.charge("r2", ZcdpCost.rho(0.7)))
        .isInstanceOf(PrivacyBudgetExceededException.class);
    open.abandon();
    assertThat(open.state()).isEqualTo(BudgetCharge.State.ABANDONED);
    assertThat(b.spent()).isEqualTo(ZcdpCost.ZERO);
    b.charge("r2", ZcdpCost.rho(0.7)).commit();
    assertThat(b.spent().rho()).isEqualTo(0.7);
  }

  @Test
  void aChargeSettlesOnce() {
    Budget b = budget();
    BudgetCharge c = b.charge("r1", ZcdpCost.rho(0.3));
    c.commit();
    assertThatThrownBy(c::commit)
        .satisfies(e -> assertThat(((DpException) e).code()).isEqualTo("dp.charge.out-of-order"));
    assertThatThrownBy(c::abandon)
        .satisfies(e -> assertThat(((DpException) e).code()).isEqualTo("dp.charge.out-of-order"));
    assertThat(b.spent().rho()).isEqualTo(0.3);
  }
}
