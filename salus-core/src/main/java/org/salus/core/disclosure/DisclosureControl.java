package org.salus.core.disclosure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.salus.core.stats.BinCounts;
import org.salus.core.stats.BinaryLevel;
import org.salus.core.stats.CohortSize;
import org.salus.core.stats.CoxStatistics;
import org.salus.core.stats.CrossTable;
import org.salus.core.stats.GlmStatistics;
import org.salus.core.stats.Moments;
import org.salus.core.stats.RiskTable;
import org.salus.core.stats.Statistic;

/**
 * Checks a node's outputs for one step (one round of one or more analyses) before they leave. If
 * any rule fails for any output, the whole step is withheld: releasing the rest would let a
 * researcher difference the withheld part back out. Run on every iteration of an iterative fit.
 */
public final class DisclosureControl {

  private final DisclosurePolicy policy;

  public DisclosureControl(DisclosurePolicy policy) {
    this.policy = policy;
  }

  /** Released with every output, or Withheld naming the first rule that failed. */
  public Disclosure check(List<Statistic> step) {
    for (int i = 0; i < step.size(); i++) {
      Optional<Disclosure.Withheld> w = check(step.get(i), "output " + i);
      if (w.isPresent()) {
        return w.get();
      }
    }
    return new Disclosure.Released(step);
  }

  private Optional<Disclosure.Withheld> check(Statistic s, String where) {
    return switch (s) {
      case CohortSize c -> small(c.n(), where + ": cohort size");
      case Moments m -> small(m.n(), where + ": number of values");
      case BinCounts h -> bins(h, where);
      case CrossTable t -> table(t, where);
      case GlmStatistics g -> glm(g, where);
      case RiskTable r -> risk(r, where);
      case CoxStatistics c -> cox(c, where);
    };
  }

  private Optional<Disclosure.Withheld> bins(BinCounts h, String where) {
    Optional<Disclosure.Withheld> w = small(h.below(), where + ": count below the first edge");
    w = w.or(() -> small(h.above(), where + ": count above the last edge"));
    for (int i = 0; i < h.counts().size() && w.isEmpty(); i++) {
      w = small(h.counts().get(i), where + ": bin " + i);
    }
    return w;
  }

  /** Margins first: a row or column of fewer than the minimum singles its persons out. */
  private Optional<Disclosure.Withheld> table(CrossTable t, String where) {
    Optional<Disclosure.Withheld> w = margins(t.rowTotals(), where + ": row total ");
    w = w.or(() -> margins(t.columnTotals(), where + ": column total "));
    if (w.isEmpty() && policy.smallCount(t.total())) {
      w =
          Optional.of(
              withheld(
                  DisclosureRule.SINGLES_OUT,
                  where + ": the table total is below the minimum cell size"));
    }
    for (var cell : t.counts().entrySet()) {
      if (w.isPresent()) {
        return w;
      }
      w =
          small(
              cell.getValue(),
              where + ": cell (" + cell.getKey().row() + ", " + cell.getKey().column() + ")");
    }
    return w;
  }

  private Optional<Disclosure.Withheld> margins(Map<String, Long> totals, String where) {
    return totals.entrySet().stream()
        .filter(e -> policy.smallCount(e.getValue()))
        .findFirst()
        .map(
            e ->
                withheld(
                    DisclosureRule.SINGLES_OUT,
                    where + e.getKey() + " is below the minimum cell size"));
  }

  private Optional<Disclosure.Withheld> glm(GlmStatistics g, String where) {
    Optional<Disclosure.Withheld> w = small(g.n(), where + ": number of persons in the model");
    if (w.isEmpty() && g.parameters() > policy.maxParameterRatio() * g.n()) {
      w =
          Optional.of(
              withheld(
                  DisclosureRule.GLM_SATURATION,
                  where
                      + ": "
                      + g.parameters()
                      + " parameters exceed "
                      + policy.maxParameterRatio()
                      + " × N"));
    }
    return w.or(() -> levels(g.levels(), where));
  }

  private Optional<Disclosure.Withheld> levels(List<BinaryLevel> levels, String where) {
    for (BinaryLevel l : levels) {
      if (l.ones() < policy.minCellSize() || l.zeros() < policy.minCellSize()) {
        return Optional.of(
            withheld(
                DisclosureRule.BINARY_LEVEL,
                where
                    + ": a level of binary variable "
                    + l.variable()
                    + " has fewer than "
                    + policy.minCellSize()
                    + " persons"));
      }
    }
    return Optional.empty();
  }

  private Optional<Disclosure.Withheld> risk(RiskTable r, String where) {
    for (RiskTable.Row row : r.rows()) {
      String at = where + ": group " + row.group() + " bin " + row.bin();
      Optional<Disclosure.Withheld> w = small(row.events(), at + " events");
      w = w.or(() -> small(row.exits(), at + " exits"));
      w = w.or(() -> small(row.exits() - row.events(), at + " censorings"));
      if (w.isPresent()) {
        return w;
      }
    }
    return Optional.empty();
  }

  private Optional<Disclosure.Withheld> cox(CoxStatistics c, String where) {
    if (c.parameters() > policy.maxParameterRatio() * c.n()) {
      return Optional.of(
          withheld(
              DisclosureRule.GLM_SATURATION,
              where
                  + ": "
                  + c.parameters()
                  + " parameters exceed "
                  + policy.maxParameterRatio()
                  + " × N"));
    }
    for (CoxStatistics.Bin b : c.bins()) {
      Optional<Disclosure.Withheld> w = small(b.events(), where + ": bin " + b.bin() + " events");
      w = w.or(() -> small(b.exits(), where + ": bin " + b.bin() + " exits"));
      if (w.isPresent()) {
        return w;
      }
    }
    return Optional.empty();
  }

  private Optional<Disclosure.Withheld> small(long count, String what) {
    if (!policy.smallCount(count)) {
      return Optional.empty();
    }
    return Optional.of(
        withheld(
            DisclosureRule.MIN_CELL_SIZE,
            what + " is between 1 and " + (policy.minCellSize() - 1)));
  }

  private static Disclosure.Withheld withheld(DisclosureRule rule, String explanation) {
    return new Disclosure.Withheld(rule, explanation, rule.remedy());
  }
}
