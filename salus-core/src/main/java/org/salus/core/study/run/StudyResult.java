package org.salus.core.study.run;

import java.util.List;
import java.util.Optional;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.CoxResult;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.GlmResult;
import org.salus.core.stats.LogRank;
import org.salus.core.stats.Moments;
import org.salus.core.stats.SurvivalCurve;

/**
 * What a federated study produced: which nodes joined (with their consent snapshot) and, per
 * analysis, the answer from the nodes that contributed and the nodes that did not, with why.
 */
public record StudyResult(
    String studyId, String title, String purpose, List<NodeStatus> nodes, List<Answer> analyses) {

  public StudyResult {
    nodes = List.copyOf(nodes);
    analyses = List.copyOf(analyses);
  }

  /** A node's part in the study: joined with a consent snapshot, or declined with why. */
  public record NodeStatus(
      String node, boolean joined, Optional<String> consentSnapshot, Optional<String> problem) {}

  /**
   * A node that gave nothing for an analysis: {@code kind} is {@code withheld} (code is the
   * disclosure rule) or {@code failed} (code is the error), with what to do about it.
   */
  public record NodeIssue(
      String node, String kind, String code, String explanation, String remedy) {}

  /**
   * One analysis: its answer, the nodes whose statistics are in it, the nodes left out, and, when
   * the study asked for secure aggregation, how its totals were summed.
   */
  public record Answer(
      int index,
      String type,
      List<String> contributors,
      List<NodeIssue> issues,
      Outcome outcome,
      Optional<SecureSum> secureAggregation) {
    public Answer {
      contributors = List.copyOf(contributors);
      issues = List.copyOf(issues);
      java.util.Objects.requireNonNull(secureAggregation, "secureAggregation");
    }

    /** An answer summed in the clear (the hub saw each node's statistic). */
    public Answer(
        int index,
        String type,
        List<String> contributors,
        List<NodeIssue> issues,
        Outcome outcome) {
      this(index, type, contributors, issues, outcome, Optional.empty());
    }
  }

  /**
   * How an analysis's totals were securely aggregated: the threshold of its last round, how many
   * rounds ran (one per step; a GLM's IRLS rounds and restarts each one), the nodes whose vectors
   * are in the sum of the last round, and every node that dropped out of a round, at which phase.
   */
  public record SecureSum(
      int threshold, int rounds, List<String> contributors, List<Dropout> dropouts) {
    public SecureSum {
      contributors = List.copyOf(contributors);
      dropouts = List.copyOf(dropouts);
    }
  }

  /**
   * A node that left a secure round: the round (0-based, per analysis), the phase ({@code
   * advertise}: withheld or failed its step; {@code share-keys}, {@code masked-input}, {@code
   * unmask}: failed there; after {@code masked-input} its vector is still in the sum) and the code.
   */
  public record Dropout(String node, int round, String phase, String code) {}

  /** The pooled answer of one analysis. */
  public sealed interface Outcome {}

  /** Persons in the cohort. */
  public record Count(long n) implements Outcome {}

  /** n, mean, variance (n − 1) and standard deviation. */
  public record Summary(long n, double mean, double variance, double standardDeviation)
      implements Outcome {
    static Summary of(Moments m) {
      Moments.Summary s = m.summary();
      return new Summary(s.n(), s.mean(), s.variance(), s.standardDeviation());
    }
  }

  /** The summed histogram. */
  public record Histogram(BinCounts bins) implements Outcome {}

  /** The summed two-way table, cell by cell (row label, column label, count). */
  public record Table(List<Cell> cells, long total) implements Outcome {
    public Table {
      cells = List.copyOf(cells);
    }

    static Table of(CrossTable t) {
      return new Table(
          t.counts().entrySet().stream()
              .map(e -> new Cell(e.getKey().row(), e.getKey().column(), e.getValue()))
              .toList(),
          t.total());
    }
  }

  /** One cell of a table. */
  public record Cell(String row, String column, long count) {}

  /** Quantiles read from the summed fine histogram. */
  public record Quantiles(List<Double> probabilities, List<Double> values, long n)
      implements Outcome {}

  /** A fitted GLM. */
  public record Glm(GlmResult result) implements Outcome {}

  /** Kaplan–Meier curves per group, with the log-rank test when there are two groups. */
  public record Survival(List<SurvivalCurve> curves, Optional<LogRank.Result> logRank)
      implements Outcome {}

  /** A fitted Cox model. */
  public record Cox(CoxResult result) implements Outcome {}

  /** No answer: no node contributed, or the fit failed (code and message say which). */
  public record NotComputed(String code, String message) implements Outcome {}
}
