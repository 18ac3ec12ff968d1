package org.salus.store.study;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.salus.core.dp.Budget;
import org.salus.core.dp.BudgetCharge;
import org.salus.core.dp.DistributedNoise;
import org.salus.core.dp.PrivacyBudgetExceededException;
import org.salus.core.dp.Skellam;
import org.salus.core.dp.ZcdpConversion;
import org.salus.core.dp.ZcdpCost;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.Statistic;
import org.salus.core.study.Study;
import org.salus.core.study.run.NodeReply;

/**
 * Differential privacy at one node for the one-round integer analyses of a study that asks for ρ.
 *
 * <p>Split: the study's ρ is divided equally over its analyses (each is one release). Bounds: each
 * person counts once in a count and in exactly one cell of a histogram (below and above the edges
 * are cells too), so adding or removing a person changes one cell by one: sensitivity 1 (L1 = L2).
 * Noise: Skellam Sk(μ) per cell with the smallest μ whose cost fits the step's ρ ({@link
 * DistributedNoise#skellamForRho}); every one of the n nodes adds an independent Sk(μ/n), so the
 * sum over nodes carries exactly Sk(μ), and a single node adds all of it. Noisy counts are released
 * as drawn, negative ones included (not clipped, so the sum stays unbiased).
 *
 * <p>Budget: before a noisy result leaves the node its cost is charged against the researcher's
 * budget ({@link NodeBudgets}, ρ limited, ξ reported); a charge that would pass the limit fails the
 * step with {@code dp.budget.exceeded} and nothing is released. A charge is appended to the node's
 * ledger as {@link LedgerEvent.BudgetCharge} (ε at δ = {@value #DELTA} by the tight conversion),
 * the first release of the study also as {@link LedgerEvent.StudyContribution}, then committed.
 */
public final class NodeDp {

  /** The δ that ledger entries and receipts state ε at. */
  public static final double DELTA = 1e-6;

  /** Appends a ledger event and returns its index. */
  @FunctionalInterface
  public interface Ledger {
    long append(LedgerEvent event);
  }

  /** One committed charge: which analysis, its cost, its ledger entry. */
  public record Charge(int analysis, ZcdpCost cost, long mu, long entry) {}

  private final int nodes;
  private final String researcher;
  private final NodeBudgets budgets;
  private final Ledger ledger;
  private final RandomGenerator random;
  private final List<Charge> charges = new ArrayList<>();
  private Optional<Long> contribution = Optional.empty();

  /**
   * @param nodes how many nodes add a share of the noise
   * @param random the noise source (a {@link java.security.SecureRandom} outside tests)
   */
  public NodeDp(
      int nodes, String researcher, NodeBudgets budgets, Ledger ledger, RandomGenerator random) {
    if (nodes < 1) {
      throw new IllegalArgumentException("at least one node adds noise");
    }
    this.nodes = nodes;
    this.researcher = researcher;
    this.budgets = budgets;
    this.ledger = ledger;
    this.random = random;
  }

  /** The noise of one release of a study with {@code analyses} analyses and budget ρ. */
  public static DistributedNoise noiseFor(double rho, int analyses, int nodes) {
    return DistributedNoise.skellamForRho(rho / analyses, nodes, 1);
  }

  /** {@code exact} plus this node's noise share in every cell; counts and histograms only. */
  public static Statistic noisy(Statistic exact, DistributedNoise noise, RandomGenerator random) {
    Skellam share = noise.share(random);
    return switch (exact) {
      case CohortSize c -> new CohortSize(c.n() + share.sample());
      case BinCounts b ->
          new BinCounts(
              b.edges(),
              b.counts().stream().map(v -> v + share.sample()).toList(),
              b.below() + share.sample(),
              b.above() + share.sample());
      default ->
          throw new org.salus.core.error.SalusException(
              "dp.analysis.unsupported",
              "differential privacy covers counts and histograms only, not "
                  + exact.getClass().getSimpleName());
    };
  }

  /**
   * Releases analysis {@code analysis} of {@code study} with noise: charges, logs, commits, then
   * returns the noisy statistic; or fails with nothing released.
   */
  public NodeReply release(Study study, Hash consentSnapshot, int analysis, Statistic exact) {
    double rho = study.privacy().rho().orElseThrow();
    DistributedNoise noise = noiseFor(rho, study.analyses().size(), nodes);
    Statistic released;
    try {
      released = noisy(exact, noise, random);
    } catch (org.salus.core.error.SalusException e) {
      return new NodeReply.Failed(e.code(), e.getMessage());
    }
    ZcdpCost cost = new ZcdpCost(rho / study.analyses().size(), noise.cost().xi());
    BudgetCharge charge;
    try {
      charge = budget().charge(study.id() + "#" + analysis, cost);
    } catch (PrivacyBudgetExceededException e) {
      return new NodeReply.Failed(e.code(), e.getMessage());
    }
    EventContext context =
        new EventContext(
            Instant.now(),
            ActorId.ofCredential(researcher),
            Optional.empty(),
            study.purpose().code(),
            List.of("study"),
            Optional.empty());
    long entry =
        ledger.append(
            new LedgerEvent.BudgetCharge(
                context, study.id(), ZcdpConversion.tight(cost, DELTA), DELTA));
    if (contribution.isEmpty()) {
      contribution =
          Optional.of(
              ledger.append(
                  new LedgerEvent.StudyContribution(context, study.id(), consentSnapshot)));
    }
    charge.commit();
    budgets.spend(researcher, cost.rho());
    charges.add(new Charge(analysis, cost, noise.totalMu().numerator().longValueExact(), entry));
    return new NodeReply.Released(released);
  }

  private Budget budget() {
    ZcdpCost limit = new ZcdpCost(budgets.limit(researcher), Double.MAX_VALUE);
    ZcdpCost spent = ZcdpCost.rho(budgets.spent(researcher));
    Budget b = new Budget("node", researcher, limit);
    if (!spent.within(limit)) {
      throw new PrivacyBudgetExceededException("node/" + researcher, limit, spent, ZcdpCost.ZERO);
    }
    if (spent.rho() > 0) {
      b.charge("spent before", spent).commit();
    }
    return b;
  }

  /** The charges committed so far, in order. */
  public List<Charge> charges() {
    return List.copyOf(charges);
  }

  /** The ledger entry of this node's study contribution, once it released something. */
  public Optional<Long> contribution() {
    return contribution;
  }

  public String researcher() {
    return researcher;
  }
}
