package org.salus.store.study;

import java.util.ArrayList;
import java.util.List;
import org.salus.core.dp.Clamp;
import org.salus.core.error.SalusException;
import org.salus.core.record.Sex;
import org.salus.core.study.AgeRange;
import org.salus.core.study.Analysis;
import org.salus.core.study.Study;
import org.salus.core.study.Variable;

/**
 * What one person can change in a study's statistics under ρ, from the study document alone: the
 * declared bounds of numeric variables, the label domains of table variables, the follow-up horizon
 * of risk tables, and for a GLM round the proposed β (public: the hub sent it).
 */
final class DpSensitivity {

  /** Stable code when a GLM round's sensitivity has no finite bound (Poisson at a huge β). */
  static final String UNBOUNDED = "dp.glm.unbounded";

  private DpSensitivity() {}

  /**
   * The analysis with every non-binary numeric variable clamped at the node to its declared bounds
   * ({@link Variable.Bounded}); labels and binary variables are bounded by their domain already.
   */
  static Analysis bounded(Study study, Analysis a) {
    return switch (a) {
      case Analysis.Summary s -> new Analysis.Summary(bound(study, s.variable()));
      case Analysis.Glm g ->
          new Analysis.Glm(
              g.family(),
              bound(study, g.outcome()),
              g.covariates().stream().map(v -> bound(study, v)).toList());
      default -> a;
    };
  }

  private static Variable bound(Study study, Variable v) {
    if (v.isBinary() || v.isCategorical()) {
      return v;
    }
    Clamp c = clamp(study, v);
    return new Variable.Bounded(v, c.lower(), c.upper());
  }

  private static Clamp clamp(Study study, Variable v) {
    return study
        .privacy()
        .boundsOf(v)
        .orElseThrow(
            () ->
                new SalusException(
                    "study.invalid", "privacy.bounds." + v.name() + " is missing under ρ"));
  }

  /** The largest |value| a person can contribute: 1 for binary, else max(|lower|, |upper|). */
  static double magnitude(Study study, Variable v) {
    return v.isBinary() ? 1 : clamp(study, v).sumSensitivity();
  }

  /** The labels a table variable can take, fixed by the document (never read from the data). */
  static List<String> labels(Study study, Variable v) {
    if (v.isBinary()) {
      return List.of("0", "1");
    }
    return switch (v) {
      case Variable.SexLabel s -> {
        List<String> out = new ArrayList<>();
        for (Sex x : Sex.values()) {
          out.add(CohortSql.sexValue(x));
        }
        yield out;
      }
      case Variable.AgeBand b -> {
        AgeRange r = study.cohort().age().orElse(new AgeRange(0, 200));
        List<String> out = new ArrayList<>();
        for (int band = (r.min() / b.width()) * b.width(); band <= r.max(); band += b.width()) {
          out.add(Integer.toString(band));
        }
        yield out;
      }
      default ->
          throw new SalusException(
              "dp.analysis.unsupported", v.name() + " has no declared label domain");
    };
  }

  /** The last bin of a Kaplan–Meier table under ρ: the bin holding day {@code followUpDays}. */
  static int lastBin(Study study, Analysis.KaplanMeier k) {
    int days =
        study
            .privacy()
            .followUpDays()
            .orElseThrow(
                () -> new SalusException("study.invalid", "privacy.followUpDays is missing"));
    return days / k.binDays();
  }

  /** Per-coordinate sensitivities of one IRLS round at β. */
  record Glm(double[] x, double weight, double residual, double deviance) {
    double information(int i, int j) {
      return weight * x[i] * x[j];
    }

    double weightedResponse(int i) {
      return x[i] * residual;
    }
  }

  /**
   * Per person: |xⱼ| ≤ Bⱼ (B₀ = 1 for the intercept), so |η| ≤ H = Σ|βⱼ|Bⱼ, and |y| ≤ B_y. The
   * weight w, the working-response term w·η + y − μ and the deviance are then bounded by family:
   * gaussian 1, B_y, (B_y + H)²; binomial 1/4, H/4 + 1, 2(H + ln 2); poisson e^H, e^H·H + B_y +
   * e^H, 2(max(B_y|ln B_y|, 1/e) + B_y·H + B_y + e^H).
   */
  static Glm glm(Study study, Analysis.Glm a, double[] beta) {
    double[] x = new double[beta.length];
    x[0] = 1;
    for (int j = 1; j < beta.length; j++) {
      x[j] = magnitude(study, a.covariates().get(j - 1));
    }
    double h = 0;
    for (int j = 0; j < beta.length; j++) {
      h += Math.abs(beta[j]) * x[j];
    }
    double by = magnitude(study, a.outcome());
    double eh = Math.exp(h);
    Glm s =
        switch (a.family()) {
          case GAUSSIAN -> new Glm(x, 1, by, (by + h) * (by + h));
          case BINOMIAL -> new Glm(x, 0.25, h / 4 + 1, 2 * (h + Math.log(2)));
          case POISSON ->
              new Glm(
                  x,
                  eh,
                  eh * h + by + eh,
                  2 * (Math.max(by * Math.abs(Math.log(by)), 1 / Math.E) + by * h + by + eh));
        };
    if (!Double.isFinite(s.weight() * s.residual() * s.deviance() * h)) {
      throw new SalusException(
          UNBOUNDED,
          "the proposed coefficients make one person's share of the round unbounded; the fit"
              + " cannot continue under ρ");
    }
    return s;
  }
}
