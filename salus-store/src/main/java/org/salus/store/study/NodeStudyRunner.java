package org.salus.store.study;

import java.util.ArrayList;
import java.util.List;
import org.salus.core.disclosure.Disclosure;
import org.salus.core.disclosure.DisclosureControl;
import org.salus.core.disclosure.DisclosurePolicy;
import org.salus.core.stats.Statistic;
import org.salus.core.study.Analysis;
import org.salus.core.study.Cohort;

/**
 * The node's side of a study step: computes the step's aggregates in SQL and passes them through
 * disclosure control, every time — each GLM or Cox iteration is checked anew. A step is released
 * whole or withheld whole.
 */
public final class NodeStudyRunner {

  private final NodeAggregates aggregates;
  private final DisclosureControl control;

  public NodeStudyRunner(NodeAggregates aggregates, DisclosurePolicy policy) {
    this.aggregates = aggregates;
    this.control = new DisclosureControl(policy);
  }

  public static NodeStudyRunner of(
      java.sql.Connection connection, Cohort cohort, DisclosurePolicy policy) {
    return new NodeStudyRunner(new NodeAggregates(connection, cohort), policy);
  }

  /**
   * The one-round analyses (count, summary, histogram, contingency, quantiles, Kaplan–Meier) as one
   * step. Iterative analyses go through {@link #glmStep} and {@link #coxStep}.
   */
  public Disclosure oneRound(List<Analysis> analyses) {
    List<Statistic> outputs = new ArrayList<>();
    for (Analysis a : analyses) {
      outputs.add(
          switch (a) {
            case Analysis.Count c -> aggregates.count();
            case Analysis.Summary s -> aggregates.moments(s.variable());
            case Analysis.Histogram h -> aggregates.histogram(h);
            case Analysis.Contingency t -> aggregates.contingency(t);
            case Analysis.Quantiles q -> aggregates.fineHistogram(q);
            case Analysis.KaplanMeier k -> aggregates.riskTable(k);
            case Analysis.Glm g ->
                throw new IllegalArgumentException(
                    "a GLM runs through glmStep, one round per iteration");
            case Analysis.Cox x ->
                throw new IllegalArgumentException(
                    "a Cox model runs through coxStep, one round per iteration");
          });
    }
    return control.check(outputs);
  }

  /**
   * Keeps the subjects of a one-round analysis for its later steps ({@link NodeAggregates#keep}):
   * each step is still computed and checked anew, over the cohort as it was kept.
   */
  public void keep(Analysis analysis) {
    aggregates.keep(analysis);
  }

  /** One IRLS iteration at β, checked. */
  public Disclosure glmStep(Analysis.Glm glm, double[] beta) {
    return control.check(List.of(aggregates.glmStep(glm, beta)));
  }

  /** A snapshot of an iterative fit's subjects; step through it with {@link #step}. */
  public Snapshot snapshot(Analysis analysis) {
    return aggregates.snapshot(analysis);
  }

  /** One iteration at β over a snapshot, checked. */
  public Disclosure step(Snapshot snapshot, double[] beta) {
    return control.check(List.of(snapshot.step(beta)));
  }

  /** Closes the statements the node kept for repeated steps. */
  public void close() {
    aggregates.close();
  }

  /** One Cox iteration at β, checked. */
  public Disclosure coxStep(Analysis.Cox cox, double[] beta) {
    return control.check(List.of(aggregates.coxStep(cox, beta)));
  }
}
