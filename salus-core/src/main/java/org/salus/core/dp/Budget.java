package org.salus.core.dp;

import java.util.Objects;

/**
 * The privacy budget one researcher has on one dataset at one node. Losses compose by addition in
 * zCDP; a charge that would pass the limit is refused before anything is released.
 */
public final class Budget {

  private final String dataset;
  private final String researcher;
  private final ZcdpCost limit;
  private ZcdpCost spent = ZcdpCost.ZERO;
  private ZcdpCost reserved = ZcdpCost.ZERO;

  public Budget(String dataset, String researcher, ZcdpCost limit) {
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.researcher = Objects.requireNonNull(researcher, "researcher");
    this.limit = limit;
  }

  public String dataset() {
    return dataset;
  }

  public String researcher() {
    return researcher;
  }

  public ZcdpCost limit() {
    return limit;
  }

  /** What committed charges have spent. */
  public ZcdpCost spent() {
    return spent;
  }

  /** What is left, counting charges still open as spent. */
  public ZcdpCost remaining() {
    ZcdpCost used = spent.plus(reserved);
    return new ZcdpCost(Math.max(0, limit.rho() - used.rho()), Math.max(0, limit.xi() - used.xi()));
  }

  /**
   * Opens a charge for a release: reserves its cost, or refuses with {@link
   * PrivacyBudgetExceededException} when the committed and open charges plus this one would pass
   * the limit.
   */
  public BudgetCharge charge(String release, ZcdpCost cost) {
    ZcdpCost used = spent.plus(reserved);
    if (!used.plus(cost).within(limit)) {
      throw new PrivacyBudgetExceededException(dataset + "/" + researcher, limit, used, cost);
    }
    reserved = reserved.plus(cost);
    return new BudgetCharge(this, release, cost);
  }

  void settle(ZcdpCost cost, boolean commit) {
    reserved =
        new ZcdpCost(
            Math.max(0, reserved.rho() - cost.rho()), Math.max(0, reserved.xi() - cost.xi()));
    if (commit) {
      spent = spent.plus(cost);
    }
  }

  @Override
  public String toString() {
    return "Budget[" + dataset + "/" + researcher + ", spent " + spent + " of " + limit + "]";
  }
}
