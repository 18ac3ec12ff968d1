package org.salus.store.study;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.salus.core.consent.CohortConsentFilter;
import org.salus.core.consent.ConsentAction;
import org.salus.core.consent.ConsentHistory;
import org.salus.core.consent.InstitutionKind;
import org.salus.core.consent.NodeDefaults;
import org.salus.core.consent.PolicyDecisionPoint;
import org.salus.core.consent.Purpose;
import org.salus.core.consent.RequestContext;
import org.salus.core.consent.Requester;
import org.salus.core.consent.Role;
import org.salus.core.disclosure.Disclosure;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.error.SalusException;
import org.salus.core.secagg.AdvertiseKeys;
import org.salus.core.secagg.EncryptedShares;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.MaskingGraph;
import org.salus.core.secagg.SecAggConfig;
import org.salus.core.secagg.SecAggParticipant;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.secagg.UnmaskResponse;
import org.salus.core.study.Analysis;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOpening;
import org.salus.core.study.run.SecureRound;
import org.salus.core.study.run.StepRequest;
import org.salus.core.study.run.StudyNode;
import org.salus.store.consent.ConsentStore;

/**
 * A node taking part in a study in this process, over its own database connection.
 *
 * <p>Joining selects the population: the node reads its person keys (keys only, no clinical data),
 * asks the consent store for their histories and the node defaults, and keeps the persons whose
 * consent permits the study's purpose ({@link CohortConsentFilter}, person level, as of the join).
 * Their keys go into a temporary table of the connection, and every cohort query of the study
 * selects only among them ({@code WHERE person_key IN (...)}), so the consent filter runs in SQL
 * with the rest of the cohort and no analytic row is read into Java. Each step then goes through
 * {@link NodeStudyRunner}: SQL aggregates, disclosure control every time.
 */
public final class LocalStudyNode implements StudyNode {

  /** Stable code when the study's purpose is not one the consent model knows. */
  public static final String PURPOSE_UNKNOWN = "study.purpose.unknown";

  private final String name;
  private final Connection connection;
  private final ConsentStore consents;
  private final DisclosurePolicy policy;
  private final Instant asOf;
  private Study study;
  private NodeStudyRunner runner;
  private String population;
  private final Map<Integer, Snapshot> snapshots = new HashMap<>();
  private final java.util.Optional<NodeDp> dp;
  private org.salus.core.ledger.merkle.Hash consentSnapshot;

  /**
   * @param policy the node's own disclosure limits; a study may only make them stricter
   * @param asOf the instant consent is decided at (now, for a live study)
   */
  public LocalStudyNode(
      String name,
      Connection connection,
      ConsentStore consents,
      DisclosurePolicy policy,
      Instant asOf) {
    this(name, connection, consents, policy, asOf, java.util.Optional.empty());
  }

  /**
   * A node that adds its noise share and charges its budgets when a study asks for ρ ({@link
   * NodeDp}); without ρ the node answers as it does without {@code dp}.
   */
  public LocalStudyNode(
      String name,
      Connection connection,
      ConsentStore consents,
      DisclosurePolicy policy,
      Instant asOf,
      java.util.Optional<NodeDp> dp) {
    this.dp = dp;
    this.name = name;
    this.connection = connection;
    this.consents = consents;
    this.policy = policy;
    this.asOf = asOf;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Joining join(Study joined) {
    if (study != null) {
      throw new IllegalStateException("the node has already joined study " + study.id());
    }
    Optional<Purpose> purpose = Purpose.fromCode(joined.purpose().code());
    if (purpose.isEmpty()) {
      return new Joining.Declined(
          PURPOSE_UNKNOWN,
          "the consent model has no purpose "
              + joined.purpose().code()
              + "; the node cannot decide");
    }
    List<String> keys = personKeys();
    Map<String, ConsentHistory> histories = consents.histories(keys);
    NodeDefaults defaults = consents.defaults();
    CohortConsentFilter.Candidate[] candidates = new CohortConsentFilter.Candidate[keys.size()];
    for (int i = 0; i < candidates.length; i++) {
      ConsentHistory h = histories.getOrDefault(keys.get(i), ConsentHistory.empty(keys.get(i)));
      candidates[i] = new CohortConsentFilter.Candidate(keys.get(i), h.asOf(asOf));
    }
    RequestContext context =
        RequestContext.of(
                Requester.of(
                    "urn:salus:study:" + joined.id(),
                    Role.RESEARCHER,
                    defaults.jurisdiction(),
                    InstitutionKind.PUBLIC),
                purpose.get(),
                ConsentAction.USE,
                asOf)
            .forStudy(joined.id());
    CohortConsentFilter.Selection selection =
        new CohortConsentFilter(new PolicyDecisionPoint(defaults)).select(candidates, context);
    population = "salus_consented_" + UUID.randomUUID().toString().replace("-", "");
    storePopulation(selection.included());
    study = joined;
    consentSnapshot = org.salus.core.ledger.merkle.Hash.fromHex(selection.snapshot().hex());
    runner =
        new NodeStudyRunner(
            new NodeAggregates(connection, joined.cohort(), Optional.of(population)),
            policy.atLeast(joined.privacy().minCellSize()));
    keepSubjects();
    return new Joining.Joined(selection.snapshot().hex());
  }

  /** Stable code of a plain step of a study that asks for secure aggregation. */
  public static final String SECAGG_REQUIRED = "secagg.required";

  @Override
  public NodeReply step(StepRequest request) {
    Optional<NodeReply.Failed> refused = check(request);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (study.privacy().secureAggregation()) {
      // the hub must not learn this node's statistic alone: only masked, in a secure round
      return new NodeReply.Failed(
          SECAGG_REQUIRED,
          "the study asks for secure aggregation; this node releases its steps only masked");
    }
    try {
      return switch (compute(request)) {
        case Disclosure.Released r when study.privacy().rho().isPresent() ->
            dp.orElseThrow().release(study, consentSnapshot, request, r.values().get(0));
        case Disclosure.Released r -> new NodeReply.Released(r.values().get(0));
        case Disclosure.Withheld w -> new NodeReply.Withheld(w.rule(), w.explanation(), w.remedy());
      };
    } catch (SalusException e) {
      return new NodeReply.Failed(e.code(), e.getMessage());
    } catch (IllegalArgumentException e) {
      return new NodeReply.Failed("study.step.invalid", e.getMessage());
    }
  }

  /**
   * Selects the subjects of each one-round analysis once, at the join: every step of it is then one
   * aggregate over a table of this connection (recomputed and checked at each step), and every
   * analysis sees the cohort as of the join, as its consent is. An analysis whose subjects cannot
   * be kept (a query the database refuses, bounds missing under ρ) is left to select them at its
   * step, which fails there with its own code.
   */
  private void keepSubjects() {
    for (Analysis a : study.analyses()) {
      if (a instanceof Analysis.Glm || a instanceof Analysis.Cox) {
        continue; // a fit keeps its own snapshot at its first round
      }
      try {
        runner.keep(study.privacy().rho().isPresent() ? NodeDp.bounded(study, a) : a);
      } catch (SalusException | IllegalArgumentException e) {
        // the step selects the subjects itself and reports the failure
      }
    }
  }

  private Optional<NodeReply.Failed> check(StepRequest request) {
    if (runner == null) {
      return Optional.of(
          new NodeReply.Failed("study.node.not-joined", "the node has not joined a study"));
    }
    if (request.analysis() >= study.analyses().size()) {
      return Optional.of(
          new NodeReply.Failed(
              "study.step.invalid", "the study has no analysis " + request.analysis()));
    }
    if (study.privacy().rho().isPresent() && dp.isEmpty()) {
      return Optional.of(
          new NodeReply.Failed(
              "dp.node.unconfigured", "the study asks for ρ but this node has no DP configured"));
    }
    return Optional.empty();
  }

  /** The step's exact statistic (clamped under ρ), through the node's disclosure control. */
  private Disclosure compute(StepRequest request) {
    Analysis analysis = study.analyses().get(request.analysis());
    if (study.privacy().rho().isPresent()) {
      analysis = NodeDp.bounded(study, analysis); // values clamped in SQL before aggregating
    }
    return switch (analysis) {
      case Analysis.Glm g -> runner.step(snapshot(request.analysis(), g), request.betaArray());
      case Analysis.Cox c -> runner.step(snapshot(request.analysis(), c), request.betaArray());
      default -> runner.oneRound(List.of(analysis));
    };
  }

  // --- secure aggregation (docs/secagg-dp.md, "Secure aggregation in studies")

  /**
   * The one secure round in progress at this node: the protocol's participant and this node's
   * vector, kept from phase 0 to phase 2 only. A new round drops an unfinished one, so the state is
   * bounded by one round; leaving the study drops it too.
   */
  private record OpenRound(String roundId, SecAggParticipant participant, long[] input) {}

  private OpenRound open;

  @Override
  public SecureOpening secureOpen(SecureRound round) {
    open = null;
    StepRequest request = round.step();
    Optional<NodeReply.Failed> refused = check(request);
    if (refused.isEmpty()) {
      refused = roundRefused(round.participant(), round.participants(), round.threshold());
    }
    if (refused.isPresent()) {
      return new SecureOpening.Declined(refused.get());
    }
    switch (roundVector(request, round.participants().size(), round.vectorLength())) {
      case RoundVector.Declines d -> {
        return new SecureOpening.Declined(d.reply());
      }
      case RoundVector.Contributes c -> {
        SecAggParticipant participant =
            new SecAggParticipant(
                round.participant(),
                config(
                    round.roundId(), round.participants(), round.threshold(), c.vector().length));
        AdvertiseKeys keys = participant.advertiseKeys();
        open = new OpenRound(round.roundId(), participant, c.vector());
        return new SecureOpening.Advertised(keys);
      }
    }
  }

  /** A secure round's rules at this node: the study asks for it, the round fits the study. */
  private Optional<NodeReply.Failed> roundRefused(
      int participant, java.util.SortedSet<Integer> participants, int roundThreshold) {
    if (!study.privacy().secureAggregation()) {
      return Optional.of(
          new NodeReply.Failed(
              "secagg.not-asked", "the study does not ask for secure aggregation"));
    }
    int n = participants.size();
    if (!participants.contains(participant) || n > study.nodes().size()) {
      return Optional.of(
          new NodeReply.Failed(
              "secagg.round.invalid",
              "a round of "
                  + n
                  + " participants (the study names "
                  + study.nodes().size()
                  + " nodes) without this node's number "
                  + participant));
    }
    int threshold = study.privacy().secureThresholdFor(n);
    if (roundThreshold < threshold) {
      return Optional.of(
          new NodeReply.Failed(
              "secagg.round.threshold",
              "the round's threshold "
                  + roundThreshold
                  + " is below the study's "
                  + threshold
                  + " for "
                  + n
                  + " participants"));
    }
    return Optional.empty();
  }

  /** This node's vector of a step in a secure round of n participants, or why it takes no part. */
  private sealed interface RoundVector {
    record Contributes(long[] vector) implements RoundVector {}

    record Declines(NodeReply reply) implements RoundVector {}
  }

  /**
   * The step computed for a secure round: disclosure control, under ρ the DP share sized for the
   * study's threshold (never the hub's) and its charge, encoded and checked to fit a sum of n.
   */
  private RoundVector roundVector(StepRequest request, int n, int vectorLength) {
    int threshold = study.privacy().secureThresholdFor(n);
    long[] vector;
    try {
      int length =
          SecureVectors.length(
              study, study.analyses().get(request.analysis()), request.beta().size());
      if (vectorLength != length) {
        return new RoundVector.Declines(
            new NodeReply.Failed(
                "secagg.vector.length",
                "the round expects " + vectorLength + " values; this step has " + length));
      }
      switch (compute(request)) {
        case Disclosure.Withheld w -> {
          return new RoundVector.Declines(
              new NodeReply.Withheld(w.rule(), w.explanation(), w.remedy()));
        }
        case Disclosure.Released r when study.privacy().rho().isPresent() -> {
          switch (dp.orElseThrow()
              .releaseVector(study, consentSnapshot, request, r.values().get(0), threshold)) {
            case NodeDp.Refused f -> {
              return new RoundVector.Declines(f.reply());
            }
            case NodeDp.Vector v -> vector = v.units();
          }
        }
        case Disclosure.Released r ->
            vector = SecureVectors.encode(study, request, r.values().get(0));
      }
      SecureVectors.requireFits(vector, n);
      return new RoundVector.Contributes(vector);
    } catch (SalusException e) {
      return new RoundVector.Declines(new NodeReply.Failed(e.code(), e.getMessage()));
    } catch (IllegalArgumentException e) {
      return new RoundVector.Declines(new NodeReply.Failed("study.step.invalid", e.getMessage()));
    }
  }

  private static SecAggConfig config(
      String roundId, java.util.SortedSet<Integer> participants, int threshold, int length) {
    return new SecAggConfig(
        participants,
        threshold,
        length,
        roundId.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        MaskingGraph.complete(participants));
  }

  // --- one-trip rounds (docs/secagg-dp.md, "One-trip rounds")

  /** The most prepared rounds a session keeps; a preparation past it drops the oldest. */
  static final int PREPARED_LIMIT = 2 * org.salus.core.study.run.SecurePreparation.MAX_ROUNDS;

  /** Rounds keyed ahead of their steps, oldest first; each is used by one step and forgotten. */
  private final java.util.LinkedHashMap<String, Prepared> prepared =
      new java.util.LinkedHashMap<>();

  /** A prepared round: the protocol's participant and the number of participants it keys. */
  private record Prepared(SecAggParticipant participant, int participants) {}

  @Override
  public List<AdvertiseKeys> securePrepare(org.salus.core.study.run.SecurePreparation preparation) {
    if (runner == null) {
      throw new SalusException("study.node.not-joined", "the node has not joined a study");
    }
    Optional<NodeReply.Failed> refused =
        roundRefused(
            preparation.participant(), preparation.participants(), preparation.threshold());
    if (refused.isPresent()) {
      throw new SalusException(refused.get().code(), refused.get().message());
    }
    if (!study.privacy().secureOneTrip()) {
      throw new SalusException(
          "secagg.one-trip.not-asked", "the study asks for classic secure-aggregation rounds");
    }
    List<AdvertiseKeys> keys = new ArrayList<>();
    for (String id : preparation.roundIds()) {
      if (prepared.containsKey(id)) {
        throw new SalusException("secagg.round.duplicate", "round " + id + " is already keyed");
      }
    }
    for (String id : preparation.roundIds()) {
      SecAggParticipant p =
          new SecAggParticipant(
              preparation.participant(),
              config(
                  id, preparation.participants(), preparation.threshold(), SecAggConfig.AT_INPUT));
      keys.add(p.advertiseKeys());
      prepared.put(id, new Prepared(p, preparation.participants().size()));
    }
    while (prepared.size() > PREPARED_LIMIT) {
      prepared.remove(prepared.keySet().iterator().next());
    }
    return keys;
  }

  @Override
  public List<EncryptedShares> securePrepareShares(
      List<String> roundIds, List<KeyDirectory> directories) {
    if (roundIds.size() != directories.size()) {
      throw new IllegalArgumentException("one key directory per round");
    }
    List<EncryptedShares> out = new ArrayList<>(roundIds.size());
    for (int i = 0; i < roundIds.size(); i++) {
      Prepared p = prepared.get(roundIds.get(i));
      if (p == null) {
        throw new SalusException(
            "secagg.round.unknown", "this node has no prepared round " + roundIds.get(i));
      }
      try {
        out.add(p.participant().shareKeys(directories.get(i)));
      } catch (RuntimeException e) {
        prepared.remove(roundIds.get(i));
        throw e;
      }
    }
    return out;
  }

  @Override
  public org.salus.core.study.run.SecureOneTrip secureOneTrip(
      org.salus.core.study.run.SecureStep step) {
    Prepared p = prepared.remove(step.roundId());
    if (p == null) {
      return new org.salus.core.study.run.SecureOneTrip.Declined(
          new NodeReply.Failed(
              "secagg.round.unknown", "this node has no prepared round " + step.roundId()),
          Optional.empty());
    }
    Optional<NodeReply.Failed> refused = check(step.step());
    RoundVector v =
        refused.isPresent()
            ? new RoundVector.Declines(refused.get())
            : roundVector(step.step(), p.participants(), step.vectorLength());
    return switch (v) {
      case RoundVector.Declines d ->
          new org.salus.core.study.run.SecureOneTrip.Declined(d.reply(), p.participant().decline());
      case RoundVector.Contributes c -> {
        try {
          yield new org.salus.core.study.run.SecureOneTrip.Contributed(
              p.participant().maskAndReveal(step.delivery(), c.vector()));
        } finally {
          java.util.Arrays.fill(c.vector(), 0L); // the plain vector is not needed any more
        }
      }
    };
  }

  private OpenRound round(String roundId) {
    OpenRound r = open;
    if (r == null || !r.roundId().equals(roundId)) {
      throw new SalusException(
          "secagg.round.unknown", "this node has no secure round " + roundId + " in progress");
    }
    return r;
  }

  @Override
  public EncryptedShares secureShareKeys(String roundId, KeyDirectory directory) {
    OpenRound r = round(roundId);
    try {
      return r.participant().shareKeys(directory);
    } catch (RuntimeException e) {
      open = null;
      throw e;
    }
  }

  @Override
  public MaskedInput secureMaskedInput(String roundId, ShareDelivery delivery) {
    OpenRound r = round(roundId);
    try {
      return r.participant().maskedInput(delivery, r.input());
    } catch (RuntimeException e) {
      open = null;
      throw e;
    } finally {
      java.util.Arrays.fill(r.input(), 0L); // the plain vector is not needed any more
    }
  }

  @Override
  public UnmaskResponse secureUnmask(String roundId, UnmaskRequest request) {
    OpenRound r = round(roundId);
    open = null;
    return r.participant().unmask(request);
  }

  /** The fit's subjects, computed at its first round and reused for every later round. */
  private Snapshot snapshot(int index, Analysis analysis) {
    Snapshot s = snapshots.get(index);
    if (s == null) {
      s = runner.snapshot(analysis);
      snapshots.put(index, s);
    }
    return s;
  }

  private List<String> personKeys() {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT person_key FROM person")) {
      List<String> keys = new ArrayList<>();
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
      return keys;
    } catch (SQLException e) {
      throw failed("reading the person keys", e);
    }
  }

  private void storePopulation(List<String> included) {
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TEMPORARY TABLE " + population + " (person_key VARCHAR PRIMARY KEY)");
    } catch (SQLException e) {
      throw failed("creating the consented population", e);
    }
    try {
      int full = included.size() / INSERT_ROWS * INSERT_ROWS;
      insert(included.subList(0, full), INSERT_ROWS);
      insert(included.subList(full, included.size()), included.size() - full);
    } catch (SQLException e) {
      throw failed("storing the consented population", e);
    }
  }

  /**
   * Keys per INSERT statement. One row per statement (a JDBC batch) took DuckDB about 12 s for
   * 100,000 keys on the 2-core shared machine; a thousand rows per statement about 0.4 s.
   */
  private static final int INSERT_ROWS = 1000;

  /** Inserts the keys {@code rows} per statement ({@code keys.size()} is a multiple of rows). */
  private void insert(List<String> keys, int rows) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    String sql =
        "INSERT INTO "
            + population
            + " VALUES "
            + String.join(", ", java.util.Collections.nCopies(rows, "(?)"));
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int at = 0; at < keys.size(); at += rows) {
        for (int i = 0; i < rows; i++) {
          ps.setString(i + 1, keys.get(at + i));
        }
        ps.executeUpdate();
      }
    }
  }

  private static SalusException failed(String what, SQLException e) {
    return new SalusException(
        NodeAggregates.QUERY_FAILED, what + " failed in the node database: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    open = null;
    prepared.clear();
    if (runner != null) {
      runner.close();
    }
    snapshots.values().forEach(Snapshot::close);
    snapshots.clear();
    if (population != null) {
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS " + population);
      } catch (SQLException e) {
        throw failed("dropping the consented population", e);
      }
      population = null;
    }
  }
}
