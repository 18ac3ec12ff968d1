package org.salus.core.dp;

/** A charge would take a budget past its limit. Carries the evidence; nothing was charged. */
public final class PrivacyBudgetExceededException extends DpException {

  private static final long serialVersionUID = 1L;

  private final transient ZcdpCost limit;
  private final transient ZcdpCost spent;
  private final transient ZcdpCost requested;

  public PrivacyBudgetExceededException(
      String budget, ZcdpCost limit, ZcdpCost spent, ZcdpCost requested) {
    super(
        "dp.budget.exceeded",
        "budget "
            + budget
            + ": charging ρ="
            + requested.rho()
            + ", ξ="
            + requested.xi()
            + " on top of ρ="
            + spent.rho()
            + ", ξ="
            + spent.xi()
            + " exceeds the limit ρ="
            + limit.rho()
            + ", ξ="
            + limit.xi());
    this.limit = limit;
    this.spent = spent;
    this.requested = requested;
  }

  public ZcdpCost limit() {
    return limit;
  }

  public ZcdpCost spent() {
    return spent;
  }

  public ZcdpCost requested() {
    return requested;
  }
}
