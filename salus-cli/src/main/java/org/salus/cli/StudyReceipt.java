package org.salus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.salus.core.dp.PrivacyReceipt;
import org.salus.core.dp.ZcdpConversion;
import org.salus.core.dp.ZcdpCost;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.event.EntryCodec;
import org.salus.core.ledger.event.LedgerEvent;
import org.salus.core.ledger.note.VerifierKey;
import org.salus.core.ledger.proof.KeyChain;
import org.salus.core.ledger.proof.ProofFile;
import org.salus.core.ledger.proof.TrustPolicy;
import org.salus.core.ledger.proof.VerifiedEntry;
import org.salus.store.study.NodeDp;

/**
 * The privacy receipt of a study run with ρ: what it cost (ρ, ξ, and ε at δ by the tight
 * conversion), the mechanism and its parameters, the contributing nodes, and per node the ledger
 * entries of its charges and of its study contribution, each with a C2SP tlog-proof against a
 * checkpoint the node signed after appending them. {@link #verify} checks it offline.
 *
 * @param rho the largest ρ one node was charged for the study (all nodes, when all released)
 */
record StudyReceipt(
    String study,
    double rho,
    double xi,
    double epsilon,
    double delta,
    String conversion,
    String mechanism,
    SortedMap<String, String> parameters,
    List<String> contributors,
    List<NodePart> nodes,
    boolean zeroNoise) {

  /** What a receipt of a zero-noise run says, loudly, instead of a mechanism. */
  static final String ZERO_NOISE =
      "NONE: ZERO-NOISE TEST MODE, RESULTS ARE EXACT AND NOT DIFFERENTIALLY PRIVATE";

  /**
   * One ledger entry of a charge: analysis and round (IRLS round of a GLM, else 0), its cost, the
   * Skellam μ of the total, how many nodes' shares make up μ (the node added Sk(μ/shares): n for a
   * plain release, the round's threshold t under secure aggregation; 0 in receipts written before
   * it was recorded), its proof.
   */
  record Entry(
      int analysis,
      int round,
      double rho,
      double xi,
      long mu,
      int shares,
      long index,
      String proof) {}

  /**
   * One node's part: its log key (for reading only), contribution entry and charges, and the proofs
   * of its log's key rotations below the receipt's checkpoint (tlog-proof files of each {@code
   * KeyRotation} entry against its handover checkpoint, oldest first; absent in receipts of nodes
   * that never rotated), so a verifier that trusts only the first key follows the chain.
   */
  record NodePart(
      String node,
      String logKey,
      long index,
      String proof,
      List<Entry> charges,
      List<String> keyRotations) {

    NodePart {
      keyRotations = keyRotations == null ? List.of() : List.copyOf(keyRotations);
    }

    NodePart(String node, String logKey, long index, String proof, List<Entry> charges) {
      this(node, logKey, index, proof, charges, List.of());
    }

    /**
     * A node's part after its study: a checkpoint over the entries it appended, and the proofs of
     * its contribution and charges; empty when the node released nothing.
     */
    static java.util.Optional<NodePart> of(
        String node, org.salus.store.node.NodeLedger ledger, NodeDp dp, java.time.Instant now) {
      if (dp.contribution().isEmpty()) {
        return java.util.Optional.empty();
      }
      long size = ledger.checkpoint(now).checkpoint().size();
      List<String> rotations = ledger.rotationProofs(size).stream().map(ProofFile::encode).toList();
      List<Entry> charges = new ArrayList<>();
      for (NodeDp.Charge c : dp.charges()) {
        charges.add(
            new Entry(
                c.analysis(),
                c.round(),
                c.cost().rho(),
                c.cost().xi(),
                c.mu(),
                c.shares(),
                c.entry(),
                ledger.proof(c.entry()).encode()));
      }
      long index = dp.contribution().get();
      return java.util.Optional.of(
          new NodePart(
              node,
              ledger.logKey().encode(),
              index,
              ledger.proof(index).encode(),
              charges,
              rotations));
    }

    double rhoSum() {
      return charges.stream().mapToDouble(Entry::rho).sum();
    }

    double xiSum() {
      return charges.stream().mapToDouble(Entry::xi).sum();
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT);

  private static final double SLACK = 1e-12;

  static StudyReceipt of(
      org.salus.core.study.Study study, List<NodePart> parts, boolean zeroNoise) {
    return of(study, parts, zeroNoise, java.util.Optional.empty());
  }

  /**
   * The receipt; when the study asked for secure aggregation its parameters also say how each
   * analysis's totals were summed: {@code secure-aggregation} (the protocol) and, per analysis,
   * {@code secagg.<analysis>} with the threshold, rounds, contributing nodes and the dropouts with
   * their phase (from the hub's result, which the nodes' ledger proofs do not cover).
   */
  static StudyReceipt of(
      org.salus.core.study.Study study,
      List<NodePart> parts,
      boolean zeroNoise,
      java.util.Optional<org.salus.core.study.run.StudyResult> result) {
    NodePart widest =
        parts.stream()
            .max(java.util.Comparator.comparingDouble(NodePart::rhoSum))
            .orElse(new NodePart("", "", 0, "", List.of()));
    ZcdpCost cost = new ZcdpCost(widest.rhoSum(), widest.xiSum());
    SortedMap<String, String> parameters = new TreeMap<>();
    parameters.put(
        "sensitivity", "per release from the study's bounds, domains and horizon (secagg-dp.md)");
    parameters.put(
        "split",
        "rho / "
            + study.analyses().size()
            + " analyses; a glm's share / "
            + study.privacy().glmRounds()
            + " rounds");
    parameters.put("nodes-adding-noise", String.valueOf(parts.size()));
    for (Entry e : widest.charges()) {
      parameters.put("mu." + e.analysis() + "." + e.round(), String.valueOf(e.mu()));
    }
    parameters.put(
        "noise-split",
        study.privacy().secureAggregation()
            ? "each node adds Sk(mu/t) for the round's threshold t; a total over s >= t summed"
                + " nodes carries Sk(s*mu/t), at least Sk(mu) (the charged rho is that of Sk(mu))"
            : "each of the n joined nodes adds Sk(mu/n); the total of all n carries Sk(mu), and the"
                + " hub sees each node's statistic with Sk(mu/n) on it");
    if (zeroNoise) {
      parameters.put("WARNING", ZERO_NOISE);
    }
    if (study.privacy().secureAggregation()) {
      parameters.put(
          "secure-aggregation",
          "bonawitz-ccs2017 semi-honest over mutual TLS: the hub summed masked vectors mod 2^64"
              + " and saw only the totals; "
              + (study.privacy().secureOneTrip()
                  ? "one-trip rounds (keys shared ahead; each masked vector sent with its"
                      + " self-mask shares, never a secret-key share)"
                  : "classic four-phase rounds"));
      result.ifPresent(
          res ->
              res.analyses()
                  .forEach(
                      a ->
                          a.secureAggregation()
                              .ifPresent(
                                  sa -> {
                                    parameters.put("secagg." + a.index(), describe(sa));
                                    carried(widest, a.index(), sa)
                                        .ifPresent(
                                            c -> parameters.put("mu-carried." + a.index(), c));
                                  })));
    }
    PrivacyReceipt r =
        PrivacyReceipt.of(
            cost,
            NodeDp.DELTA,
            zeroNoise ? ZERO_NOISE : "skellam",
            parameters,
            new TreeSet<>(parts.stream().map(NodePart::node).toList()));
    return new StudyReceipt(
        study.id(),
        cost.rho(),
        cost.xi(),
        r.epsilon(),
        r.delta(),
        r.conversion(),
        r.mechanism(),
        r.parameters(),
        List.copyOf(r.contributors()),
        parts,
        zeroNoise);
  }

  /**
   * The noise the released total of an analysis carries, from its last round's charge at a node and
   * the nodes summed in that round: {@code s·μ/t = value (t = …, s = …, per-node share Sk(μ/t))};
   * empty without a charge of that analysis (or one written before shares were recorded).
   */
  static java.util.Optional<String> carried(
      NodePart part, int analysis, org.salus.core.study.run.StudyResult.SecureSum sa) {
    return part.charges().stream()
        .filter(e -> e.analysis() == analysis && e.shares() > 0)
        .reduce((a, b) -> b)
        .map(
            e -> {
              int s = sa.contributors().size();
              return s
                  + "*"
                  + e.mu()
                  + "/"
                  + e.shares()
                  + " = "
                  + String.format(java.util.Locale.ROOT, "%.1f", (double) s * e.mu() / e.shares())
                  + " (mu "
                  + e.mu()
                  + " of round "
                  + e.round()
                  + ", t = "
                  + e.shares()
                  + ", summed s = "
                  + s
                  + ", per-node share Sk(mu/"
                  + e.shares()
                  + "))";
            });
  }

  /** One analysis's secure aggregation in a line. */
  static String describe(org.salus.core.study.run.StudyResult.SecureSum sa) {
    StringBuilder b =
        new StringBuilder()
            .append("threshold ")
            .append(sa.threshold())
            .append(", rounds ")
            .append(sa.rounds())
            .append(", summed ")
            .append(String.join(" ", sa.contributors()));
    if (!sa.dropouts().isEmpty()) {
      b.append(", dropped");
      sa.dropouts()
          .forEach(
              d ->
                  b.append(' ')
                      .append(d.node())
                      .append(" at ")
                      .append(d.phase())
                      .append(" of round ")
                      .append(d.round())
                      .append(" (")
                      .append(d.code())
                      .append(')'));
    }
    return b.toString();
  }

  void write(Path file) {
    try {
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new SalusException("receipt.write-failed", "cannot write the receipt " + file);
    }
  }

  static StudyReceipt read(Path file) {
    try {
      return JSON.readValue(file.toFile(), StudyReceipt.class);
    } catch (IOException e) {
      throw new SalusException("receipt.unreadable", "cannot read the receipt " + file);
    }
  }

  /**
   * Checks offline, against the nodes' log keys given by the verifier (never the ones in the
   * receipt): every proof verifies, sits at the stated index and encodes an event of this study;
   * each charge entry's ε is the tight conversion of its stated cost; the receipt's ρ and ξ are the
   * largest node's sums, and its ε follows from them. Returns the nodes checked.
   */
  List<String> verify(Map<String, VerifierKey> logKeys) {
    return verify(
        part -> {
          VerifierKey key = logKeys.get(part.node());
          if (key == null) {
            throw invalid("no log key given for node " + part.node());
          }
          return new TrustPolicy(key, List.of(), 0);
        });
  }

  /**
   * The same, with each node's trust policy (log key, witnesses, quorum) chosen by {@code trust}
   * from the node's part; for a signed trust list it is looked up by the origin of the part's
   * checkpoints, and every proof of the part must name that same origin.
   */
  List<String> verify(java.util.function.Function<NodePart, TrustPolicy> trustOf) {
    double maxRho = 0;
    double maxXi = 0;
    List<String> checked = new ArrayList<>();
    for (NodePart part : nodes) {
      TrustPolicy trust = trustOf.apply(part);
      KeyChain chain = chain(part, trust);
      LedgerEvent contribution = entry(part.node(), part.proof(), part.index(), trust, chain);
      if (!(contribution instanceof LedgerEvent.StudyContribution c)
          || !c.studyId().equals(study)) {
        throw invalid(
            "node "
                + part.node()
                + ": entry "
                + part.index()
                + " is not a contribution to "
                + study);
      }
      for (Entry e : part.charges()) {
        LedgerEvent charge = entry(part.node(), e.proof(), e.index(), trust, chain);
        if (!(charge instanceof LedgerEvent.BudgetCharge b) || !b.studyId().equals(study)) {
          throw invalid(
              "node " + part.node() + ": entry " + e.index() + " is not a charge for " + study);
        }
        double epsilon = ZcdpConversion.tight(new ZcdpCost(e.rho(), e.xi()), b.delta());
        if (Math.abs(epsilon - b.epsilon()) > 1e-9) {
          throw invalid(
              "node "
                  + part.node()
                  + ": entry "
                  + e.index()
                  + " charged ε "
                  + b.epsilon()
                  + ", not the stated cost");
        }
      }
      maxRho = Math.max(maxRho, part.rhoSum());
      maxXi = Math.max(maxXi, part.xiSum());
      checked.add(part.node());
    }
    if (Math.abs(maxRho - rho) > SLACK || Math.abs(maxXi - xi) > SLACK) {
      throw invalid(
          "the receipt states ρ "
              + rho
              + ", ξ "
              + xi
              + " but the nodes' charges sum to ρ "
              + maxRho
              + ", ξ "
              + maxXi);
    }
    if (Math.abs(ZcdpConversion.tight(new ZcdpCost(rho, xi), delta) - epsilon) > 1e-9) {
      throw invalid("the receipt's ε " + epsilon + " does not follow from its ρ, ξ and δ");
    }
    if (!new TreeSet<>(contributors).equals(new TreeSet<>(checked))) {
      throw invalid("the receipt's contributors are not the nodes it proves");
    }
    return checked;
  }

  // The part's key chain from the trusted key, through the rotation proofs the receipt carries;
  // none when the trusted key is not the first (a verifier given the node's current key).
  private static KeyChain chain(NodePart part, TrustPolicy trust) {
    if (part.keyRotations().isEmpty()) {
      return KeyChain.of(trust.log());
    }
    List<ProofFile> rotations = new ArrayList<>();
    try {
      for (String r : part.keyRotations()) {
        rotations.add(ProofFile.parse(r));
      }
      rotations.get(0).checkpoint().verifyLog(trust.log());
    } catch (RuntimeException e) {
      return KeyChain.of(trust.log());
    }
    try {
      return KeyChain.verify(trust.log(), rotations);
    } catch (RuntimeException e) {
      throw invalid("node " + part.node() + ": its key rotation proofs fail: " + e.getMessage());
    }
  }

  private static LedgerEvent entry(
      String node, String proof, long index, TrustPolicy trust, KeyChain chain) {
    VerifiedEntry v;
    try {
      ProofFile file = ProofFile.parse(proof);
      v =
          file.verify(
              new TrustPolicy(
                  chain.keyFor(file.checkpoint().checkpoint().size()),
                  trust.witnesses(),
                  trust.quorum()));
    } catch (RuntimeException e) {
      throw invalid("node " + node + ": proof of entry " + index + " fails: " + e.getMessage());
    }
    if (v.index() != index) {
      throw invalid("node " + node + ": the proof is of entry " + v.index() + ", not " + index);
    }
    try {
      return EntryCodec.decode(v.entry());
    } catch (RuntimeException e) {
      throw invalid("node " + node + ": entry " + index + " does not decode");
    }
  }

  private static SalusException invalid(String message) {
    return new SalusException("receipt.invalid", message);
  }
}
