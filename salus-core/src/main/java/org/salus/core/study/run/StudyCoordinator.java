package org.salus.core.study.run;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.AggregationResult;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskingGraph;
import org.salus.core.secagg.SecAggBelowThresholdException;
import org.salus.core.secagg.SecAggConfig;
import org.salus.core.secagg.SecAggServer;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.CoxFit;
import org.salus.core.stats.CoxStatistics;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.FitSettings;
import org.salus.core.stats.GlmFit;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.KaplanMeier;
import org.salus.core.stats.LogRank;
import org.salus.core.stats.Moments;
import org.salus.core.stats.Propose;
import org.salus.core.stats.RiskTable;
import org.salus.core.stats.Statistic;
import org.salus.core.stats.SurvivalCurve;
import org.salus.core.study.Analysis;
import org.salus.core.study.Study;
import org.salus.core.study.Variable;
import org.salus.core.study.run.StudyResult.Answer;
import org.salus.core.study.run.StudyResult.NodeIssue;
import org.salus.core.study.run.StudyResult.NodeStatus;
import org.salus.core.study.run.StudyResult.Outcome;

/**
 * Runs a study over nodes: each node joins (selecting its consented population), then for each
 * analysis every joined node is asked for its statistics; released statistics are summed and the
 * answer computed from the sums. Iterative fits (GLM by IRLS, Cox by Newton) ask every node at
 * every round, and each node checks disclosure every round. A node that withholds or fails in any
 * round is left out of that analysis and the fit restarts on the others, so a result never mixes
 * rounds with different nodes; except a GLM under secure aggregation with ρ, which goes on over the
 * survivors from the round's β (the earlier rounds only chose IRLS's starting point; the result's
 * statistics are all over the survivors, and a node leaving in the last round fails the analysis
 * with {@link #DROPOUT_LAST_ROUND}). The result names every node left out, with the rule or error.
 *
 * <p>The nodes of a join or a round are asked through an {@link Executor}: one after another by
 * default, at the same time with a thread pool. Replies are always taken in node order — released
 * statistics summed in that order, issues listed in it — so the result does not depend on which
 * node answers first.
 */
public final class StudyCoordinator {

  /** Stable code when no node released anything for an analysis. */
  public static final String NO_CONTRIBUTORS = "study.no-contributors";

  /** Stable code: the study asks for secure aggregation and this hub cannot read its vectors. */
  public static final String SECAGG_UNAVAILABLE = "secagg.unavailable";

  private final FitSettings settings;
  private final Executor executor;
  private final Optional<StepVectors> vectors;

  /** A coordinator that asks the nodes one after another, in the calling thread. */
  public StudyCoordinator(FitSettings settings) {
    this(settings, Runnable::run);
  }

  /**
   * A coordinator that asks the nodes of each join and round through {@code executor}, so a pool
   * asks them in parallel. The nodes must then tolerate being called from different threads (one
   * call at a time per node; each node its own connection).
   */
  public StudyCoordinator(FitSettings settings, Executor executor) {
    this(settings, executor, Optional.empty());
  }

  /**
   * A coordinator that can run studies asking for secure aggregation: {@code vectors} says how long
   * each step's vector is and reads a summed vector back into a statistic.
   */
  public StudyCoordinator(FitSettings settings, Executor executor, StepVectors vectors) {
    this(settings, executor, Optional.of(vectors));
  }

  private StudyCoordinator(FitSettings settings, Executor executor, Optional<StepVectors> vectors) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.vectors = vectors;
  }

  /** {@code call} applied to every node through the executor; the results in node order. */
  private <T> List<T> ask(List<StudyNode> nodes, Function<StudyNode, T> call) {
    List<CompletableFuture<T>> pending = new ArrayList<>(nodes.size());
    for (StudyNode node : nodes) {
      pending.add(CompletableFuture.supplyAsync(() -> call.apply(node), executor));
    }
    return pending.stream().map(CompletableFuture::join).toList();
  }

  /** Runs every analysis of the study over the nodes; the caller closes the nodes. */
  public StudyResult run(Study study, List<? extends StudyNode> nodes) {
    List<NodeStatus> statuses = new ArrayList<>();
    List<StudyNode> joined = new ArrayList<>();
    List<StudyNode> asked = List.copyOf(nodes);
    List<Joining> joinings = ask(asked, node -> join(node, study));
    for (int k = 0; k < asked.size(); k++) {
      StudyNode node = asked.get(k);
      switch (joinings.get(k)) {
        case Joining.Joined j -> {
          joined.add(node);
          statuses.add(
              new NodeStatus(
                  node.name(), true, Optional.of(j.consentSnapshot()), Optional.empty()));
        }
        case Joining.Declined d ->
            statuses.add(
                new NodeStatus(
                    node.name(),
                    false,
                    Optional.empty(),
                    Optional.of(d.code() + ": " + d.message())));
      }
    }
    List<Answer> answers = new ArrayList<>();
    try {
      for (int i = 0; i < study.analyses().size(); i++) {
        answers.add(atLeast(study.minNodes(), analyse(study, i, study.analyses().get(i), joined)));
      }
    } finally {
      forget(asked);
    }
    return new StudyResult(study.id(), study.title(), study.purpose().code(), statuses, answers);
  }

  /** Stable code: fewer nodes contributed to an answer than the study requires. */
  public static final String TOO_FEW_CONTRIBUTORS = "study.too-few-contributors";

  /** An answer from fewer nodes than the study asks for is not given to the researcher. */
  private static Answer atLeast(int minNodes, Answer a) {
    if (a.contributors().size() >= minNodes || a.outcome() instanceof StudyResult.NotComputed) {
      return a;
    }
    return new Answer(
        a.index(),
        a.type(),
        a.contributors(),
        a.issues(),
        new StudyResult.NotComputed(
            TOO_FEW_CONTRIBUTORS,
            a.contributors().size()
                + " node(s) contributed; the study asks for at least "
                + minNodes
                + " before an answer is shown"),
        a.secureAggregation());
  }

  private static Joining join(StudyNode node, Study study) {
    try {
      return node.join(study);
    } catch (RuntimeException e) {
      return new Joining.Declined(code(e), message(e));
    }
  }

  /** Under ρ the nodes release at most the declared GLM rounds; the fit must live within them. */
  private static java.util.OptionalInt glmRounds(Study study) {
    return study.privacy().rho().isPresent()
        ? java.util.OptionalInt.of(study.privacy().glmRounds())
        : java.util.OptionalInt.empty();
  }

  private Answer analyse(Study study, int index, Analysis analysis, List<StudyNode> joined) {
    String type = typeOf(analysis);
    Optional<SecureTally> secure =
        study.privacy().secureAggregation() ? Optional.of(new SecureTally()) : Optional.empty();
    if (secure.isPresent() && vectors.isEmpty()) {
      return new Answer(
          index,
          type,
          List.of(),
          List.of(),
          new StudyResult.NotComputed(
              SECAGG_UNAVAILABLE,
              "the study asks for secure aggregation; this coordinator cannot read step vectors"));
    }
    Stepper stepper =
        secure.isPresent()
            ? (nodes, request) -> secureStep(study, nodes, request, secure.get())
            : this::plainStep;
    Answer a =
        switch (analysis) {
          case Analysis.Glm g -> {
            GlmModel model = new GlmModel(g, settings, glmRounds(study));
            // a step run again after a one-trip round lost a node costs the nodes a release
            Stepper counted =
                secure.isEmpty()
                    ? stepper
                    : (nodes, request) -> {
                      int before = secure.get().reruns;
                      StepOutcome out = stepper.step(nodes, request);
                      if (secure.get().reruns > before) {
                        model.releaseLost();
                      }
                      return out;
                    };
            yield iterate(
                index,
                type,
                joined,
                model,
                counted,
                secure.isPresent() && study.privacy().rho().isPresent());
          }
          case Analysis.Cox c ->
              iterate(index, type, joined, new CoxModel(c, settings), stepper, false);
          default -> once(index, type, analysis, joined, stepper);
        };
    return secure
        .map(
            t ->
                new Answer(
                    a.index(),
                    a.type(),
                    a.contributors(),
                    a.issues(),
                    a.outcome(),
                    Optional.of(t.summary())))
        .orElse(a);
  }

  /**
   * One step over some nodes: the issues of the nodes that gave nothing (in node order), the nodes
   * whose statistics are in {@code released}, and the statistics (one per node in the clear, one
   * summed one under secure aggregation); or the step failed as a whole.
   */
  private record StepOutcome(
      List<NodeIssue> issues,
      List<StudyNode> contributors,
      List<Statistic> released,
      Optional<StudyResult.NotComputed> failure) {}

  @FunctionalInterface
  private interface Stepper {
    StepOutcome step(List<StudyNode> nodes, StepRequest request);
  }

  private StepOutcome plainStep(List<StudyNode> nodes, StepRequest request) {
    List<NodeIssue> issues = new ArrayList<>();
    List<StudyNode> contributors = new ArrayList<>();
    List<Statistic> released = new ArrayList<>();
    List<NodeReply> replies = ask(nodes, node -> reply(node, request));
    for (int k = 0; k < nodes.size(); k++) {
      Optional<NodeIssue> issue = issue(nodes.get(k), replies.get(k));
      if (issue.isPresent()) {
        issues.add(issue.get());
      } else {
        contributors.add(nodes.get(k));
        released.add(stat(replies.get(k)));
      }
    }
    return new StepOutcome(issues, contributors, released, Optional.empty());
  }

  private Answer once(
      int index, String type, Analysis analysis, List<StudyNode> nodes, Stepper stepper) {
    StepOutcome step = stepper.step(nodes, StepRequest.once(index));
    List<String> contributors = names(step.contributors());
    if (step.failure().isPresent()) {
      return new Answer(index, type, contributors, step.issues(), step.failure().get());
    }
    if (step.released().isEmpty()) {
      return new Answer(index, type, contributors, step.issues(), noContributors());
    }
    Outcome outcome = combine(analysis, step.released());
    return new Answer(index, type, contributors, step.issues(), outcome);
  }

  private static Statistic stat(NodeReply reply) {
    return ((NodeReply.Released) reply).statistic();
  }

  private static StudyResult.NotComputed noContributors() {
    return new StudyResult.NotComputed(
        NO_CONTRIBUTORS, "no node released statistics for this analysis; see the nodes' reasons");
  }

  /** An iterative model: its state machine behind a small interface. */
  private interface Model {
    /** Starts a fresh fit; returns the first β. */
    double[] start();

    /** Takes the summed statistics; returns the next β, or empty when converged. */
    Optional<double[]> accept(List<Statistic> released);

    /** The next statistics are over other nodes than the previous ones (no convergence test). */
    default void nodesChanged() {}

    /** A round's release was spent on a step run again (no sum reached the fit from it). */
    default void releaseLost() {}

    Outcome outcome();
  }

  /**
   * Stable code when a node left a secure GLM in its last round: the coefficients evaluated there
   * were fitted with that node's statistics, the last sum is without them.
   */
  public static final String DROPOUT_LAST_ROUND = "study.glm.dropout-last-round";

  /**
   * @param overSurvivors under secure aggregation with ρ: a node that leaves a round is left out
   *     and the fit goes on over the survivors from the round's β instead of restarting (each node
   *     sizes its noise for the round's threshold, so the sum over the survivors carries the
   *     calibrated noise, and the nodes have no rounds to spare for a restart)
   */
  private Answer iterate(
      int index,
      String type,
      List<StudyNode> joined,
      Model model,
      Stepper stepper,
      boolean overSurvivors) {
    List<StudyNode> active = new ArrayList<>(joined);
    List<NodeIssue> issues = new ArrayList<>();
    restart:
    while (!active.isEmpty()) {
      double[] beta = model.start();
      for (int round = 0; ; round++) {
        List<StudyNode> asked = List.copyOf(active);
        StepOutcome step = stepper.step(asked, StepRequest.at(index, round, beta));
        issues.addAll(step.issues());
        if (step.failure().isPresent()) {
          return new Answer(index, type, names(step.contributors()), issues, step.failure().get());
        }
        active.retainAll(step.contributors());
        boolean changed = active.size() < asked.size();
        if (changed && !(overSurvivors && !step.released().isEmpty())) {
          // every node that withheld or failed this round is left out together
          continue restart;
        }
        if (changed) {
          model.nodesChanged();
        }
        Optional<double[]> next;
        try {
          next = model.accept(step.released());
        } catch (SalusException e) {
          return new Answer(
              index,
              type,
              names(active),
              issues,
              new StudyResult.NotComputed(e.code(), e.getMessage()));
        }
        if (next.isEmpty()) {
          if (changed && round > 0) {
            return new Answer(
                index,
                type,
                names(active),
                issues,
                new StudyResult.NotComputed(
                    DROPOUT_LAST_ROUND,
                    "a node left in round "
                        + round
                        + ", the fit's last; its coefficients were fitted with that node's"
                        + " statistics and no round over the others remains"));
          }
          return new Answer(index, type, names(active), issues, model.outcome());
        }
        beta = next.get();
      }
    }
    return new Answer(index, type, List.of(), issues, noContributors());
  }

  // --- secure aggregation (Bonawitz et al., CCS 2017; docs/secagg-dp.md)

  /** What the secure rounds of one analysis did, for its answer. */
  private static final class SecureTally {
    int threshold;
    int rounds;
    int reruns;
    List<String> contributors = List.of();
    final List<StudyResult.Dropout> dropouts = new ArrayList<>();

    StudyResult.SecureSum summary() {
      return new StudyResult.SecureSum(threshold, rounds, contributors, dropouts);
    }
  }

  /**
   * One step as one secure-aggregation round: every node computes its step and, unless it declines
   * (withheld or failed), takes part in the four phases; the hub holds only masked vectors and
   * reads the sum over the nodes whose masked vector arrived. A node that fails a phase is dropped
   * there; too few left fails the step with {@code secagg.below-threshold}.
   */
  private StepOutcome secureStep(
      Study study, List<StudyNode> nodes, StepRequest request, SecureTally tally) {
    return secureStep(study, nodes, request, tally, study.privacy().secureOneTrip());
  }

  /**
   * @param oneTrip whether the step may use a prepared one-trip round; false for classic studies
   *     and for the classic round that runs a step again after a one-trip round lost a node
   */
  private StepOutcome secureStep(
      Study study, List<StudyNode> nodes, StepRequest request, SecureTally tally, boolean oneTrip) {
    int round = tally.rounds++;
    List<NodeIssue> issues = new ArrayList<>();
    SortedSet<Integer> ids = new TreeSet<>();
    for (int k = 1; k <= nodes.size(); k++) {
      ids.add(k);
    }
    int threshold = study.privacy().secureThresholdFor(nodes.size());
    tally.threshold = threshold;
    int length;
    SecAggServer server;
    String roundId =
        study.id() + "/" + request.analysis() + "/" + request.iteration() + "/" + UUID.randomUUID();
    try {
      length = vectors.orElseThrow().length(study, request);
      if (threshold > nodes.size()) {
        throw new SecAggBelowThresholdException("join", ids, threshold);
      }
      server =
          new SecAggServer(
              new SecAggConfig(
                  ids,
                  threshold,
                  length,
                  roundId.getBytes(StandardCharsets.UTF_8),
                  MaskingGraph.complete(ids)));
    } catch (SalusException e) {
      return new StepOutcome(
          issues,
          List.of(),
          List.of(),
          Optional.of(new StudyResult.NotComputed(e.code(), e.getMessage())));
    }
    Optional<Prepared> prepared = oneTrip ? prepared(study, nodes, threshold) : Optional.empty();
    if (prepared.isPresent()) {
      return oneTrip(study, nodes, request, tally, round, length, prepared.get());
    }
    // phase 0: each node computes its step and advertises keys, or declines with its reply
    Map<Integer, StudyNode> alive = new TreeMap<>();
    List<SecureOpening> openings =
        askNumbered(
            nodes,
            (node, id) ->
                open(node, new SecureRound(roundId, request, id, ids, threshold, length)));
    for (int k = 0; k < nodes.size(); k++) {
      StudyNode node = nodes.get(k);
      switch (openings.get(k)) {
        case SecureOpening.Advertised a -> {
          try {
            if (a.keys().from() != k + 1) {
              throw new SalusException(
                  "secagg.protocol.unexpected-sender", "keys for another participant");
            }
            server.receiveAdvertisement(a.keys());
            alive.put(k + 1, node);
          } catch (SalusException e) {
            drop(tally, issues, node, round, "advertise", e.code(), e.getMessage());
          }
        }
        case SecureOpening.Declined d -> {
          NodeIssue issue = issue(node, d.reply()).orElseThrow();
          issues.add(issue);
          tally.dropouts.add(
              new StudyResult.Dropout(node.name(), round, "advertise", issue.code()));
        }
      }
    }
    if (alive.isEmpty()) {
      // every node withheld or failed its step: no round to run, as a plain step with no release
      return new StepOutcome(issues, List.of(), List.of(), Optional.empty());
    }
    try {
      KeyDirectory directory = server.closeAdvertisements();
      // phase 1: shares of each node's secrets, encrypted to the others
      phase(
          tally,
          issues,
          round,
          "share-keys",
          alive,
          node -> node.secureShareKeys(roundId, directory),
          server::receiveShares);
      Map<Integer, ShareDelivery> deliveries = server.closeShares();
      alive.keySet().retainAll(deliveries.keySet());
      // phase 2: the masked vectors; the hub never holds a plain one
      phase(
          tally,
          issues,
          round,
          "masked-input",
          alive,
          (node, id) -> node.secureMaskedInput(roundId, deliveries.get(id)),
          server::receiveMaskedInput);
      Map<Integer, UnmaskRequest> requests = server.closeMaskedInputs();
      alive.keySet().retainAll(requests.keySet());
      List<StudyNode> contributors = List.copyOf(alive.values());
      // phase 3: the shares that remove the masks; a node failing here is still in the sum
      phase(
          tally,
          new ArrayList<>(),
          round,
          "unmask",
          alive,
          (node, id) -> node.secureUnmask(roundId, requests.get(id)),
          server::receiveUnmasking);
      AggregationResult sum = server.finish();
      tally.contributors = names(contributors);
      Statistic total =
          vectors.orElseThrow().decode(study, request, sum.sum(), sum.contributors().size());
      return new StepOutcome(issues, contributors, List.of(total), Optional.empty());
    } catch (SalusException e) {
      return new StepOutcome(
          issues,
          List.copyOf(alive.values()),
          List.of(),
          Optional.of(new StudyResult.NotComputed(e.code(), e.getMessage())));
    }
  }

  // --- one-trip rounds (docs/secagg-dp.md, "One-trip rounds")

  /** How many one-trip rounds one preparation keys (two exchanges per batch, one per step). */
  static final int ONE_TRIP_BATCH = 16;

  /** A round keyed ahead of its step: the server at its masked-input phase and each delivery. */
  private record Prepared(
      String roundId, SecAggServer server, Map<Integer, ShareDelivery> deliveries) {}

  /** The rounds keyed for one list of joined nodes (compared by identity); classic once failed. */
  private static final class Pool {
    final java.util.ArrayDeque<Prepared> rounds = new java.util.ArrayDeque<>();
    boolean classic;
  }

  private final Map<List<StudyNode>, Pool> pools =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<StudyNode>, Pool> eldest) {
              return size() > 64;
            }
          });

  /**
   * A one-trip round keyed for these nodes (a batch prepared when none is left), or none: the node
   * set runs classic rounds once any node could not prepare (no one-trip support, a failure), and
   * after a node was lost in a one-trip round.
   */
  private Optional<Prepared> prepared(Study study, List<StudyNode> nodes, int threshold) {
    Pool pool = pools.computeIfAbsent(List.copyOf(nodes), k -> new Pool());
    synchronized (pool) {
      if (pool.classic) {
        return Optional.empty();
      }
      if (pool.rounds.isEmpty() && !prepare(study, nodes, threshold, pool)) {
        pool.classic = true;
        return Optional.empty();
      }
      return Optional.of(pool.rounds.poll());
    }
  }

  /** Keys a batch of rounds: every node advertises keys for each, then shares its secrets. */
  private boolean prepare(Study study, List<StudyNode> nodes, int threshold, Pool pool) {
    SortedSet<Integer> ids = new TreeSet<>();
    for (int k = 1; k <= nodes.size(); k++) {
      ids.add(k);
    }
    List<String> roundIds = new ArrayList<>();
    for (int r = 0; r < ONE_TRIP_BATCH; r++) {
      roundIds.add(study.id() + "/prepared/" + UUID.randomUUID());
    }
    try {
      List<Object> keys =
          askNumbered(
              nodes,
              (node, id) ->
                  attempt(
                      () ->
                          node.securePrepare(new SecurePreparation(roundIds, id, ids, threshold))));
      List<SecAggServer> servers = new ArrayList<>();
      List<KeyDirectory> directories = new ArrayList<>();
      for (int r = 0; r < roundIds.size(); r++) {
        SecAggServer server =
            new SecAggServer(
                new SecAggConfig(
                    ids,
                    threshold,
                    SecAggConfig.AT_INPUT,
                    roundIds.get(r).getBytes(StandardCharsets.UTF_8),
                    MaskingGraph.complete(ids)));
        for (int k = 0; k < nodes.size(); k++) {
          List<?> advertised = answer(keys.get(k), roundIds.size());
          var a = (org.salus.core.secagg.AdvertiseKeys) advertised.get(r);
          if (a.from() != k + 1) {
            return false;
          }
          server.receiveAdvertisement(a);
        }
        directories.add(server.closeAdvertisements());
        servers.add(server);
      }
      List<Object> shares =
          askNumbered(
              nodes, (node, id) -> attempt(() -> node.securePrepareShares(roundIds, directories)));
      for (int r = 0; r < roundIds.size(); r++) {
        for (int k = 0; k < nodes.size(); k++) {
          var sent =
              (org.salus.core.secagg.EncryptedShares) answer(shares.get(k), roundIds.size()).get(r);
          if (sent.from() != k + 1) {
            return false;
          }
          servers.get(r).receiveShares(sent);
        }
        pool.rounds.add(
            new Prepared(roundIds.get(r), servers.get(r), servers.get(r).closeShares()));
      }
      return true;
    } catch (RuntimeException e) {
      // a node without one-trip rounds, unreachable, or a message the protocol refuses: the
      // classic round asks again and names the node and its error
      pool.rounds.clear();
      return false;
    }
  }

  /**
   * Drops the one-trip rounds keyed for any of these nodes (their sessions end with the study);
   * callers of {@link #secureSum} call it when they leave the study.
   */
  public void forget(List<? extends StudyNode> nodes) {
    synchronized (pools) {
      pools.keySet().removeIf(k -> k.stream().anyMatch(n -> nodes.stream().anyMatch(m -> m == n)));
    }
  }

  /** The call's answer, or the exception it threw (as the answer). */
  private static Object attempt(java.util.function.Supplier<?> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** A list answer of the given size; throws the node's exception or for a wrong size. */
  private static List<?> answer(Object a, int size) {
    if (a instanceof RuntimeException e) {
      throw e;
    }
    if (!(a instanceof List<?> list) || list.size() != size) {
      throw new SalusException("secagg.protocol.bad-response", "a batch of another size");
    }
    return list;
  }

  /**
   * One step in a prepared one-trip round: every node computes its step and answers once, with its
   * masked vector and self-mask shares or with a decline and its round key. A node lost in the
   * round (no answer, or one the protocol refuses) leaves it unreadable by design; the step then
   * runs again as a classic round over the nodes that contributed, each computing it anew (under ρ
   * a new release, which an analysis may no longer have).
   */
  private StepOutcome oneTrip(
      Study study,
      List<StudyNode> nodes,
      StepRequest request,
      SecureTally tally,
      int round,
      int length,
      Prepared prepared) {
    List<NodeIssue> issues = new ArrayList<>();
    List<Object> answers =
        askNumbered(
            nodes,
            (node, id) ->
                attempt(
                    () ->
                        node.secureOneTrip(
                            new SecureStep(
                                prepared.roundId(),
                                request,
                                length,
                                prepared.deliveries().get(id)))));
    SecAggServer server = prepared.server();
    List<StudyNode> contributors = new ArrayList<>();
    List<StudyNode> lost = new ArrayList<>();
    for (int k = 0; k < nodes.size(); k++) {
      StudyNode node = nodes.get(k);
      int id = k + 1;
      Object a = answers.get(k);
      try {
        switch (a) {
          case SecureOneTrip.Contributed c -> {
            if (c.input().from() != id) {
              throw new SalusException(
                  "secagg.protocol.unexpected-sender", "an answer for another participant");
            }
            server.receiveOneTrip(c.input());
            contributors.add(node);
          }
          case SecureOneTrip.Declined d -> {
            NodeIssue issue = issue(node, d.reply()).orElseThrow();
            issues.add(issue);
            tally.dropouts.add(
                new StudyResult.Dropout(node.name(), round, "advertise", issue.code()));
            if (!declineTaken(server, d, id)) {
              lost.add(node); // no usable key to remove its masks with: named once, above
            }
          }
          case RuntimeException e -> throw e;
          default -> throw new IllegalStateException("unexpected answer " + a.getClass());
        }
      } catch (RuntimeException e) {
        drop(tally, issues, node, round, "one-trip", code(e), message(e));
        lost.add(node);
        contributors.remove(node);
      }
    }
    if (!lost.isEmpty()) {
      // nobody revealed the lost nodes' secret-key shares: this round cannot be read, and these
      // node keys are no longer usable; the remaining steps of this node set run classic rounds
      Pool pool = pools.get(List.copyOf(nodes));
      if (pool != null) {
        synchronized (pool) {
          pool.rounds.clear();
          pool.classic = true;
        }
      }
      if (contributors.isEmpty()) {
        return new StepOutcome(issues, List.of(), List.of(), Optional.empty());
      }
      tally.reruns++;
      StepOutcome again = secureStep(study, contributors, request, tally, false);
      issues.addAll(again.issues());
      return new StepOutcome(issues, again.contributors(), again.released(), again.failure());
    }
    if (contributors.isEmpty()) {
      // every node withheld or failed its step: no release, as for a plain step
      return new StepOutcome(issues, List.of(), List.of(), Optional.empty());
    }
    try {
      AggregationResult sum = server.finishOneTrip();
      if (sum.sum().length != length) {
        throw new SalusException(
            "secagg.input.bad-length", "the summed vector has " + sum.sum().length + " values");
      }
      tally.contributors = names(contributors);
      Statistic total =
          vectors.orElseThrow().decode(study, request, sum.sum(), sum.contributors().size());
      return new StepOutcome(issues, List.copyOf(contributors), List.of(total), Optional.empty());
    } catch (SalusException e) {
      return new StepOutcome(
          issues,
          List.copyOf(contributors),
          List.of(),
          Optional.of(new StudyResult.NotComputed(e.code(), e.getMessage())));
    }
  }

  /** Whether the server took a decline's key (its own, the one it advertised). */
  private static boolean declineTaken(SecAggServer server, SecureOneTrip.Declined d, int id) {
    if (d.key().isEmpty() || d.key().get().from() != id) {
      return false;
    }
    try {
      server.receiveDecline(d.key().get());
      return true;
    } catch (SalusException e) {
      return false;
    }
  }

  /**
   * One step of a study asking for secure aggregation, as one secure round over nodes that have
   * joined it, outside a whole run (for benchmarks): the summed statistic. Fails with the step's
   * code when the round fails, and with {@code secagg.dropout} naming the nodes when any dropped.
   */
  public Statistic secureSum(Study study, List<? extends StudyNode> joined, StepRequest request) {
    if (!study.privacy().secureAggregation() || vectors.isEmpty()) {
      throw new SalusException(
          SECAGG_UNAVAILABLE, "the study asks for no secure aggregation, or no vectors are known");
    }
    SecureTally tally = new SecureTally();
    StepOutcome out = secureStep(study, List.copyOf(joined), request, tally);
    if (out.failure().isPresent()) {
      throw new SalusException(out.failure().get().code(), out.failure().get().message());
    }
    if (!tally.dropouts.isEmpty()) {
      throw new SalusException("secagg.dropout", "nodes dropped out: " + tally.dropouts);
    }
    return out.released().get(0);
  }

  private static SecureOpening open(StudyNode node, SecureRound round) {
    try {
      return node.secureOpen(round);
    } catch (RuntimeException e) {
      return new SecureOpening.Declined(new NodeReply.Failed(code(e), message(e)));
    }
  }

  /** A node that left a round at a phase before its vector was summed: an issue and a dropout. */
  private static void drop(
      SecureTally tally,
      List<NodeIssue> issues,
      StudyNode node,
      int round,
      String phase,
      String code,
      String message) {
    issues.add(
        new NodeIssue(
            node.name(),
            "failed",
            code,
            "secure aggregation, phase " + phase + ": " + message,
            "ask the node's operator; the study ran on the other nodes"));
    tally.dropouts.add(new StudyResult.Dropout(node.name(), round, phase, code));
  }

  /**
   * One phase of a round: asks every node still in it, hands each answer to the server, and drops
   * (from {@code alive}) every node that failed or whose answer the server refused.
   */
  private <T> void phase(
      SecureTally tally,
      List<NodeIssue> issues,
      int round,
      String phase,
      Map<Integer, StudyNode> alive,
      java.util.function.BiFunction<StudyNode, Integer, T> call,
      java.util.function.Consumer<T> receive) {
    List<Integer> ids = List.copyOf(alive.keySet());
    List<StudyNode> nodes = ids.stream().map(alive::get).toList();
    List<CompletableFuture<Object>> pending = new ArrayList<>(ids.size());
    for (int id : ids) {
      StudyNode node = alive.get(id);
      pending.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return (Object) call.apply(node, id);
                } catch (RuntimeException e) {
                  return e;
                }
              },
              executor));
    }
    List<Object> answers = pending.stream().map(CompletableFuture::join).toList();
    for (int k = 0; k < ids.size(); k++) {
      Object a = answers.get(k);
      String code;
      String message;
      if (a instanceof RuntimeException e) {
        code = code(e);
        message = message(e);
      } else {
        try {
          @SuppressWarnings("unchecked")
          T answer = (T) a;
          receive.accept(answer);
          continue;
        } catch (RuntimeException e) {
          // the server refused the message (a SecAggException says why): the node is dropped
          code = code(e);
          message = message(e);
        }
      }
      drop(tally, issues, nodes.get(k), round, phase, code, message);
      alive.remove(ids.get(k));
    }
  }

  private <T> void phase(
      SecureTally tally,
      List<NodeIssue> issues,
      int round,
      String phase,
      Map<Integer, StudyNode> alive,
      Function<StudyNode, T> call,
      java.util.function.Consumer<T> receive) {
    phase(tally, issues, round, phase, alive, (node, id) -> call.apply(node), receive);
  }

  /** {@code call} with each node and its participant number (1-based, node order). */
  private <T> List<T> askNumbered(
      List<StudyNode> nodes, java.util.function.BiFunction<StudyNode, Integer, T> call) {
    List<CompletableFuture<T>> pending = new ArrayList<>(nodes.size());
    for (int k = 0; k < nodes.size(); k++) {
      StudyNode node = nodes.get(k);
      int id = k + 1;
      pending.add(CompletableFuture.supplyAsync(() -> call.apply(node, id), executor));
    }
    return pending.stream().map(CompletableFuture::join).toList();
  }

  private static List<String> names(List<StudyNode> nodes) {
    return nodes.stream().map(StudyNode::name).toList();
  }

  private static NodeReply reply(StudyNode node, StepRequest request) {
    try {
      return node.step(request);
    } catch (RuntimeException e) {
      return new NodeReply.Failed(code(e), message(e));
    }
  }

  private static Optional<NodeIssue> issue(StudyNode node, NodeReply reply) {
    return switch (reply) {
      case NodeReply.Released r -> Optional.empty();
      case NodeReply.Withheld w ->
          Optional.of(
              new NodeIssue(node.name(), "withheld", w.rule().code(), w.explanation(), w.remedy()));
      case NodeReply.Failed f ->
          Optional.of(
              new NodeIssue(
                  node.name(),
                  "failed",
                  f.code(),
                  f.message(),
                  "ask the node's operator; the study ran on the other nodes"));
    };
  }

  private static String code(RuntimeException e) {
    return e instanceof SalusException s ? s.code() : "study.node.failed";
  }

  private static String message(RuntimeException e) {
    return e instanceof SalusException
        ? e.getMessage()
        : "the node failed: " + e.getClass().getSimpleName();
  }

  static Outcome combine(Analysis analysis, List<Statistic> released) {
    return switch (analysis) {
      case Analysis.Count c ->
          new StudyResult.Count(sum(released, CohortSize.class, CohortSize::plus).n());
      case Analysis.Summary s ->
          StudyResult.Summary.of(sum(released, Moments.class, Moments::plus));
      case Analysis.Histogram h ->
          new StudyResult.Histogram(sum(released, BinCounts.class, BinCounts::plus));
      case Analysis.Contingency t ->
          StudyResult.Table.of(sum(released, CrossTable.class, CrossTable::plus));
      case Analysis.Quantiles q -> {
        BinCounts fine = sum(released, BinCounts.class, BinCounts::plus);
        yield new StudyResult.Quantiles(
            q.probabilities(), fine.quantiles(q.probabilities()), fine.total());
      }
      case Analysis.KaplanMeier k -> survival(k, sum(released, RiskTable.class, RiskTable::plus));
      case Analysis.Glm g ->
          throw new IllegalArgumentException("a GLM is iterated, not combined once");
      case Analysis.Cox x ->
          throw new IllegalArgumentException("a Cox model is iterated, not combined once");
    };
  }

  private static StudyResult.Survival survival(Analysis.KaplanMeier k, RiskTable table) {
    List<String> groups = table.groups();
    List<SurvivalCurve> curves =
        groups.stream().map(g -> KaplanMeier.curve(table, g, k.binDays(), 0.95)).toList();
    Optional<LogRank.Result> test =
        groups.size() == 2
            ? Optional.of(LogRank.test(table, groups.get(0), groups.get(1)))
            : Optional.empty();
    return new StudyResult.Survival(curves, test);
  }

  private static <T extends Statistic> T sum(
      List<Statistic> released, Class<T> type, java.util.function.BinaryOperator<T> plus) {
    return released.stream().map(type::cast).reduce(plus).orElseThrow();
  }

  /** The analysis type as study documents name it, for example {@code glm}. */
  public static String typeOf(Analysis a) {
    return switch (a) {
      case Analysis.Count c -> "count";
      case Analysis.Summary s -> "summary";
      case Analysis.Histogram h -> "histogram";
      case Analysis.Contingency t -> "contingency";
      case Analysis.Quantiles q -> "quantiles";
      case Analysis.Glm g -> "glm";
      case Analysis.KaplanMeier k -> "kaplanMeier";
      case Analysis.Cox x -> "cox";
    };
  }

  private static final class GlmModel implements Model {
    private final Analysis.Glm glm;
    private final FitSettings settings;
    private final java.util.OptionalInt rounds;
    private GlmFit fit;

    GlmModel(Analysis.Glm glm, FitSettings settings, java.util.OptionalInt rounds) {
      this.glm = glm;
      this.settings = settings;
      this.rounds = rounds;
    }

    @Override
    public double[] start() {
      List<String> names = new ArrayList<>();
      names.add("(Intercept)");
      glm.covariates().stream().map(Variable::name).forEach(names::add);
      fit =
          rounds.isPresent()
              ? GlmFit.startWithinRounds(glm.family(), names, settings, rounds.getAsInt())
              : GlmFit.start(glm.family(), names, settings);
      return ((Propose) fit.step()).beta();
    }

    @Override
    public Optional<double[]> accept(List<Statistic> released) {
      return switch (fit.accept(sum(released, GlmStatistics.class, GlmStatistics::plus))) {
        case Propose p -> Optional.of(p.beta());
        case GlmFit.Converged c -> Optional.empty();
      };
    }

    @Override
    public void nodesChanged() {
      fit.forgetDeviance();
    }

    @Override
    public void releaseLost() {
      fit.loseRound();
    }

    @Override
    public Outcome outcome() {
      return new StudyResult.Glm(((GlmFit.Converged) fit.step()).result());
    }
  }

  private static final class CoxModel implements Model {
    private final Analysis.Cox cox;
    private final FitSettings settings;
    private CoxFit fit;

    CoxModel(Analysis.Cox cox, FitSettings settings) {
      this.cox = cox;
      this.settings = settings;
    }

    @Override
    public double[] start() {
      fit = CoxFit.start(cox.covariates().stream().map(Variable::name).toList(), settings);
      return ((Propose) fit.step()).beta();
    }

    @Override
    public Optional<double[]> accept(List<Statistic> released) {
      return switch (fit.accept(sum(released, CoxStatistics.class, CoxStatistics::plus))) {
        case Propose p -> Optional.of(p.beta());
        case CoxFit.Converged c -> Optional.empty();
      };
    }

    @Override
    public Outcome outcome() {
      return new StudyResult.Cox(((CoxFit.Converged) fit.step()).result());
    }
  }
}
