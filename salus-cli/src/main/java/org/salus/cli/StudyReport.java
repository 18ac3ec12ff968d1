package org.salus.cli;

import java.util.List;
import java.util.Locale;
import org.salus.core.stats.Coefficient;
import org.salus.core.stats.CoxResult;
import org.salus.core.stats.GlmResult;
import org.salus.core.stats.SurvivalCurve;
import org.salus.core.study.run.StudyResult;
import org.salus.core.study.run.StudyResult.Answer;
import org.salus.core.study.run.StudyResult.NodeIssue;
import org.salus.core.study.run.StudyResult.NodeStatus;

/** A study's results as readable tables. */
final class StudyReport {

  private StudyReport() {}

  static String text(StudyResult r) {
    StringBuilder b = new StringBuilder();
    b.append("Study ").append(r.studyId()).append(": ").append(r.title()).append('\n');
    b.append("purpose ").append(r.purpose()).append('\n');
    for (NodeStatus n : r.nodes()) {
      b.append("  node ").append(n.node());
      if (n.joined()) {
        b.append(": joined, consent snapshot ")
            .append(n.consentSnapshot().orElse("?"), 0, 16)
            .append("…\n");
      } else {
        b.append(": did not join: ").append(n.problem().orElse("")).append('\n');
      }
    }
    for (Answer a : r.analyses()) {
      b.append('\n').append(a.index() + 1).append(". ").append(a.type());
      b.append(
          a.contributors().isEmpty()
              ? " — no node contributed\n"
              : " — from " + String.join(", ", a.contributors()) + '\n');
      outcome(b, a.outcome());
      a.secureAggregation()
          .ifPresent(
              sa ->
                  b.append("   securely aggregated: ")
                      .append(StudyReceipt.describe(sa))
                      .append('\n'));
      for (NodeIssue i : a.issues()) {
        b.append("   ")
            .append(i.node())
            .append(' ')
            .append(i.kind())
            .append(" (")
            .append(i.code())
            .append("): ")
            .append(i.explanation())
            .append("\n     what to do: ")
            .append(i.remedy())
            .append('\n');
      }
    }
    return b.toString();
  }

  private static void outcome(StringBuilder b, StudyResult.Outcome o) {
    switch (o) {
      case StudyResult.Count c -> b.append(f("   n = %d%n", c.n()));
      case StudyResult.Summary s when s.n() == 0 -> b.append("   n = 0 (no values)\n");
      case StudyResult.Summary s ->
          b.append(
              f(
                  "   n = %d, mean %.4g, sd %.4g, variance %.4g%n",
                  s.n(), s.mean(), s.standardDeviation(), s.variance()));
      case StudyResult.Histogram h -> {
        List<Double> e = h.bins().edges();
        b.append(f("   %-24s %8s%n", "bin", "n"));
        b.append(f("   %-24s %8d%n", "below " + e.get(0), h.bins().below()));
        for (int i = 0; i < h.bins().counts().size(); i++) {
          b.append(
              f(
                  "   %-24s %8d%n",
                  "[" + e.get(i) + ", " + e.get(i + 1) + ")", h.bins().counts().get(i)));
        }
        b.append(f("   %-24s %8d%n", "from " + e.get(e.size() - 1), h.bins().above()));
      }
      case StudyResult.Table t -> {
        b.append(f("   %-16s %-16s %8s%n", "row", "column", "n"));
        for (StudyResult.Cell c : t.cells()) {
          b.append(f("   %-16s %-16s %8d%n", c.row(), c.column(), c.count()));
        }
        b.append(f("   %-33s %8d%n", "total", t.total()));
      }
      case StudyResult.Quantiles q -> {
        b.append(f("   n = %d%n", q.n()));
        for (int i = 0; i < q.probabilities().size(); i++) {
          b.append(f("   q%-6s %10.4g%n", q.probabilities().get(i), q.values().get(i)));
        }
      }
      case StudyResult.Glm g -> glm(b, g.result());
      case StudyResult.Survival s -> {
        for (SurvivalCurve c : s.curves()) {
          curve(b, c);
        }
        s.logRank()
            .ifPresent(
                t ->
                    b.append(
                        f(
                            "   log-rank: observed %.0f, expected %.2f, chi2 = %.4f (1 df), p = %.4g%n",
                            t.observed(), t.expected(), t.chiSquare(), t.p())));
      }
      case StudyResult.Cox x -> cox(b, x.result());
      case StudyResult.NotComputed n ->
          b.append("   not computed (")
              .append(n.code())
              .append("): ")
              .append(n.message())
              .append('\n');
    }
  }

  private static void glm(StringBuilder b, GlmResult g) {
    b.append(
        f(
            "   %s GLM, n = %d, deviance %.4f, dispersion %.4g, %d iterations%n",
            g.family().name().toLowerCase(Locale.ROOT),
            g.n(),
            g.deviance(),
            g.dispersion(),
            g.iterations()));
    coefficients(b, g.coefficients());
  }

  private static void cox(StringBuilder b, CoxResult c) {
    b.append(
        f(
            "   Cox (Breslow), n = %d, events %d, log partial likelihood %.4f, %d iterations%n",
            c.n(), c.events(), c.logPartialLikelihood(), c.iterations()));
    coefficients(b, c.coefficients());
  }

  private static void coefficients(StringBuilder b, List<Coefficient> cs) {
    b.append(f("   %-14s %11s %10s %8s %10s %23s%n", "", "estimate", "SE", "z", "p", "95% CI"));
    for (Coefficient c : cs) {
      b.append(
          f(
              "   %-14s %11.5f %10.5f %8.3f %10.4g  [%9.4f, %9.4f]%n",
              c.name(), c.estimate(), c.standardError(), c.z(), c.p(), c.lower(), c.upper()));
    }
  }

  private static void curve(StringBuilder b, SurvivalCurve c) {
    b.append("   Kaplan–Meier, group ").append(c.group()).append('\n');
    b.append(
        f("   %8s %8s %7s %9s %9s %19s%n", "day", "at risk", "events", "S(t)", "SE", "95% CI"));
    for (SurvivalCurve.Point p : c.points()) {
      b.append(
          f(
              "   %8d %8d %7d %9.4f %9.4f  [%7.4f, %7.4f]%n",
              p.time(),
              p.atRisk(),
              p.events(),
              p.survival(),
              p.standardError(),
              p.lower(),
              p.upper()));
    }
    if (c.points().isEmpty()) {
      b.append("   (no events)\n");
    }
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
