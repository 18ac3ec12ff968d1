package org.salus.store.study;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.salus.core.dp.DistributedNoise;
import org.salus.core.dp.PrivacyBudgetExceededException;
import org.salus.core.dp.ZcdpConversion;
import org.salus.core.dp.ZcdpCost;
import org.salus.core.ledger.event.ActorId;
import org.salus.core.ledger.event.EventContext;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.merkle.Hash;
import org.salus.core.stats.Statistic;
import org.salus.core.study.Analysis;
import org.salus.core.study.Study;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.StepRequest;

/**
 * Differential privacy at one node for a study that asks for ρ.
 *
 * <p>Split: the study's ρ is divided equally over its analyses; a one-round analysis is one release
 * of its share, a GLM is at most {@code privacy.glmRounds} releases (one per IRLS round) of an
 * equal part of its share. ρ composes by addition in zCDP, so the study never costs more than its ρ
 * at this node, however the hub iterates: a release past an analysis's rounds is refused.
 *
 * <p>Noise ({@link DpRelease}): sensitivities follow from the study document alone (bounds, label
 * domains, horizon; {@link DpSensitivity}) and the node clamps values in SQL before aggregating.
 * Each release carries Skellam noise Sk(μ) on its total, with the smallest μ whose cost fits the
 * release's ρ. A plain release: each of the n nodes adds an independent Sk(μ/n), so the sum of all
 * n carries exactly Sk(μ) and a single node adds all of it (the hub sees each node's share with
 * only Sk(μ/n) on it). A release into a secure sum ({@link #releaseVector}): each node adds Sk(μ/t)
 * for the round's threshold t, the fewest nodes whose vectors the hub can ever unmask as a sum, so
 * a total over any s ≥ t survivors carries Sk(s·μ/t), at least Sk(μ), whoever drops out. Noisy
 * values are released as drawn (negative counts included, so sums stay unbiased), except for the
 * post-processing DpRelease names.
 *
 * <p>Budget: before a noisy result leaves the node its cost is charged against the researcher's
 * budget ({@link NodeBudgets#charge}, ρ limited, ξ reported); a charge that would pass the limit
 * fails the step with {@code dp.budget.exceeded} and nothing is released. The charge is written to
 * the budget file first, atomically against every other session of the node (two studies of one
 * researcher cannot both spend the same remaining ρ); then it is appended to the node's ledger as
 * {@link LedgerEvent.BudgetCharge} (ε at δ = {@value #DELTA} by the tight conversion), the first
 * release of the study also as {@link LedgerEvent.StudyContribution}, and only then released. A
 * failure between the two leaves ρ spent and nothing released: the safe side.
 *
 * <p>Zero-noise test mode ({@link NodeBudgets#zeroNoise}): everything above happens, except that
 * the exact (clamped) statistic is released; {@link #zeroNoise()} lets the receipt say so.
 */
public final class NodeDp {

  /** The δ that ledger entries and receipts state ε at. */
  public static final double DELTA = 1e-6;

  /** Stable code when an analysis has used all the releases its share pays for. */
  public static final String RELEASES_EXHAUSTED = "dp.releases.exhausted";

  /** Appends a ledger event and returns its index. */
  @FunctionalInterface
  public interface Ledger {
    long append(LedgerEvent event);
  }

  /**
   * One committed charge: which analysis and round, its cost, the total's μ, its ledger entry, and
   * the split of μ: this node added Sk(μ/{@code shares}), so a total carries Sk(μ) once {@code
   * shares} nodes' noise is in it (n for a plain release, the round's threshold t for a secure
   * one).
   */
  public record Charge(int analysis, int round, ZcdpCost cost, long mu, long entry, int shares) {

    /** The μ a total summed over {@code summed} nodes' shares carries: summed·μ/shares. */
    public double muCarried(int summed) {
      return (double) summed * mu / shares;
    }
  }

  private final int nodes;
  private final String researcher;
  private final NodeBudgets budgets;
  private final Ledger ledger;
  private final RandomGenerator random;
  private final boolean zeroNoise;
  private final List<Charge> charges = new ArrayList<>();
  private final Map<Integer, Integer> released = new HashMap<>();
  private Optional<Long> contribution = Optional.empty();

  /**
   * @param nodes how many nodes add a share of the noise of a plain release (a secure one is split
   *     over the round's threshold instead, {@link #releaseVector})
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
    this.zeroNoise = budgets.zeroNoise();
  }

  /** The noise of one count release of a study with {@code analyses} analyses and budget ρ. */
  public static DistributedNoise noiseFor(double rho, int analyses, int nodes) {
    return DistributedNoise.skellamForRho(rho / analyses, nodes, 1);
  }

  /** {@code exact} plus this node's count noise share in every cell; counts and histograms. */
  public static Statistic noisy(Statistic exact, DistributedNoise noise, RandomGenerator random) {
    org.salus.core.dp.Skellam share = noise.share(random);
    return switch (exact) {
      case org.salus.core.stats.CohortSize c ->
          new org.salus.core.stats.CohortSize(c.n() + share.sample());
      case org.salus.core.stats.BinCounts b ->
          new org.salus.core.stats.BinCounts(
              b.edges(),
              b.counts().stream().map(v -> v + share.sample()).toList(),
              b.below() + share.sample(),
              b.above() + share.sample());
      default ->
          throw new org.salus.core.error.SalusException(
              "dp.analysis.unsupported",
              "count noise covers counts and histograms, not " + exact.getClass().getSimpleName());
    };
  }

  /** How many releases analysis {@code a} of the study may make, and what each costs in ρ. */
  static int releasesOf(Study study, Analysis a) {
    return a instanceof Analysis.Glm ? study.privacy().glmRounds() : 1;
  }

  /** ρ of one release of {@code a}: the study's ρ over its analyses, over the analysis's rounds. */
  public static double rhoOfRelease(Study study, Analysis a) {
    return study.privacy().rho().orElseThrow() / study.analyses().size() / releasesOf(study, a);
  }

  /** The analysis as this node computes it under ρ: numeric variables clamped to their bounds. */
  public static Analysis bounded(Study study, Analysis a) {
    return DpSensitivity.bounded(study, a);
  }

  /**
   * Releases round {@code request.iteration()} of analysis {@code request.analysis()} of {@code
   * study} with noise: checks the analysis has a release left, charges, logs, commits, then returns
   * the noisy statistic; or fails with nothing released.
   */
  public NodeReply release(
      Study study, Hash consentSnapshot, StepRequest request, Statistic exact) {
    Object out = charged(study, consentSnapshot, request, exact, nodes, false);
    return out instanceof Refused r ? r.reply() : (NodeReply) out;
  }

  /** What {@link #releaseVector} gives: the noisy vector, or why nothing is released. */
  public sealed interface VectorRelease {}

  /** The noisy integer vector of the step ({@link SecureVectors} layout, this node's share in). */
  public record Vector(long[] units) implements VectorRelease {}

  /** Nothing released: releases exhausted, budget exceeded, no bound. */
  public record Refused(NodeReply.Failed reply) implements VectorRelease {}

  /**
   * The same release, charged and logged the same way, as the integer vector a node contributes to
   * a secure sum ({@link SecureVectors}): the exact vector plus this node's Skellam share in each
   * coordinate. The post-processing happens at the hub, after the sum.
   *
   * @param threshold the fewest nodes whose vectors the round can sum (the protocol refuses to
   *     unmask below it): the share is Sk(μ/threshold), so any sum the hub can read carries at
   *     least Sk(μ). The caller takes it from the study document, never from the hub alone (see
   *     {@code LocalStudyNode.secureOpen}).
   */
  public VectorRelease releaseVector(
      Study study, Hash consentSnapshot, StepRequest request, Statistic exact, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("a secure round sums at least one node");
    }
    return (VectorRelease) charged(study, consentSnapshot, request, exact, threshold, true);
  }

  /** A {@link Refused}, or the release asked for: a {@link Vector} or a NodeReply.Released. */
  private Object charged(
      Study study,
      Hash consentSnapshot,
      StepRequest request,
      Statistic exact,
      int shares,
      boolean vector) {
    int index = request.analysis();
    Analysis analysis = study.analyses().get(index);
    int round = released.getOrDefault(index, 0);
    if (round >= releasesOf(study, analysis)) {
      return new Refused(
          new NodeReply.Failed(
              RELEASES_EXHAUSTED,
              "analysis "
                  + index
                  + " has had its "
                  + releasesOf(study, analysis)
                  + " release(s) under the study's ρ; no more are paid for"));
    }
    double rho = rhoOfRelease(study, analysis);
    DpRelease r = new DpRelease(rho, shares, random, zeroNoise);
    Object out;
    org.salus.core.dp.SkellamNoise noise;
    try {
      if (vector) {
        DpRelease.NoisyVector v = r.vector(study, analysis, exact, request.betaArray());
        out = new Vector(v.units());
        noise = v.noise();
      } else {
        DpRelease.Noisy n = r.release(study, analysis, exact, request.betaArray());
        out = new NodeReply.Released(n.statistic());
        noise = n.noise();
      }
    } catch (org.salus.core.error.SalusException e) {
      return new Refused(new NodeReply.Failed(e.code(), e.getMessage()));
    }
    ZcdpCost cost = new ZcdpCost(rho, noise.cost().xi());
    try {
      budgets.charge(researcher, cost);
    } catch (PrivacyBudgetExceededException e) {
      return new Refused(new NodeReply.Failed(e.code(), e.getMessage()));
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
    released.put(index, round + 1);
    charges.add(new Charge(index, round, cost, noise.mu(), entry, shares));
    return out;
  }

  /** Whether this node is in the zero-noise test mode (its releases are exact). */
  public boolean zeroNoise() {
    return zeroNoise;
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
