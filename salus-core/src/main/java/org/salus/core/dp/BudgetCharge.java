package org.salus.core.dp;

/**
 * One release's charge against a {@link Budget}: a one-shot state machine. Opened by {@link
 * Budget#charge}, it is either {@link #commit committed} (before the result leaves the node; the
 * loss is spent for good) or {@link #abandon abandoned} (the result was never computed or never
 * left; the reservation is returned). Either exactly once; any further call throws.
 */
public final class BudgetCharge {

  /** Where a charge stands. */
  public enum State {
    OPEN,
    COMMITTED,
    ABANDONED
  }

  private final Budget budget;
  private final String release;
  private final ZcdpCost cost;
  private State state = State.OPEN;

  BudgetCharge(Budget budget, String release, ZcdpCost cost) {
    this.budget = budget;
    this.release = release;
    this.cost = cost;
  }

  public String release() {
    return release;
  }

  public ZcdpCost cost() {
    return cost;
  }

  public State state() {
    return state;
  }

  /** Spends the cost; call before releasing the result. */
  public void commit() {
    settle(State.COMMITTED);
  }

  /** Returns the reservation; only for a result that was never released. */
  public void abandon() {
    settle(State.ABANDONED);
  }

  private void settle(State next) {
    if (state != State.OPEN) {
      throw new DpException(
          "dp.charge.out-of-order", "charge for release " + release + " is already " + state);
    }
    state = next;
    budget.settle(cost, next == State.COMMITTED);
  }
}
