package org.salus.core.study;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.salus.core.error.SalusException;
import org.salus.core.stats.GlmFamily;

/**
 * Checks a study's meaning (the records already enforce presence): ranges, bins, variable kinds,
 * families. Every problem names the field it is about.
 */
public final class StudyValidator {

  /** Stable error code for an invalid study document. */
  public static final String INVALID = "study.invalid";

  private final List<StudyProblem> problems = new ArrayList<>();

  private StudyValidator() {}

  /** Every problem found, empty when the study is valid. */
  public static List<StudyProblem> problems(Study study) {
    StudyValidator v = new StudyValidator();
    v.check(study);
    return List.copyOf(v.problems);
  }

  /** Returns the study, or throws {@code study.invalid} listing every problem. */
  public static Study requireValid(Study study) {
    List<StudyProblem> found = problems(study);
    if (!found.isEmpty()) {
      throw new SalusException(
          INVALID,
          "study "
              + study.id()
              + ": "
              + String.join("; ", found.stream().map(Object::toString).toList()));
    }
    return study;
  }

  private void check(Study s) {
    require(!s.id().isBlank(), "id", "must not be blank");
    require(!s.title().isBlank(), "title", "must not be blank");
    require(!s.analyses().isEmpty(), "analyses", "at least one analysis is needed");
    require(!s.nodes().isEmpty(), "nodes", "at least one node is needed");
    require(new HashSet<>(s.nodes()).size() == s.nodes().size(), "nodes", "names a node twice");
    require(
        s.minNodes() >= 1 && s.minNodes() <= s.nodes().size(),
        "minNodes",
        "must be between 1 and the number of nodes named (" + s.nodes().size() + ")");
    require(
        s.privacy().minCellSize() >= 1,
        "privacy.minCellSize",
        "must be at least 1, got " + s.privacy().minCellSize());
    s.privacy()
        .rho()
        .ifPresent(
            r -> require(r > 0 && Double.isFinite(r), "privacy.rho", "must be positive, got " + r));
    checkCohort(s.cohort());
    for (int i = 0; i < s.analyses().size(); i++) {
      checkAnalysis("analyses[" + i + "]", s.analyses().get(i));
    }
    if (s.privacy().rho().isPresent()) {
      checkDp(s);
    }
    if (s.privacy().secureAggregation()) {
      checkSecureAggregation(s);
    }
  }

  /**
   * Secure aggregation sums fixed-length integer vectors whose shape follows from the document
   * alone. Under ρ every DP release is such a vector. Without ρ only counts, histograms, quantiles
   * and contingency tables are (their bins and label domains are declared); a summary or GLM needs
   * the bounds and fixed point of ρ, a Kaplan–Meier table its horizon, and a Cox model's risk sets
   * follow the data.
   */
  private void checkSecureAggregation(Study s) {
    PrivacyParameters p = s.privacy();
    p.secureThreshold()
        .ifPresent(
            t ->
                require(
                    t >= 1 && t <= s.nodes().size(),
                    "privacy.secureAggregation.threshold",
                    "must be between 1 and the " + s.nodes().size() + " nodes named, got " + t));
    if (p.rho().isPresent()) {
      return;
    }
    for (int i = 0; i < s.analyses().size(); i++) {
      Analysis a = s.analyses().get(i);
      boolean shaped =
          switch (a) {
            case Analysis.Count c -> true;
            case Analysis.Histogram h -> true;
            case Analysis.Quantiles q -> true;
            case Analysis.Contingency t -> true;
            case Analysis.Summary m -> false;
            case Analysis.Glm g -> false;
            case Analysis.KaplanMeier k -> false;
            case Analysis.Cox x -> false;
          };
      require(
          shaped,
          "analyses[" + i + "]",
          "privacy.secureAggregation without privacy.rho covers count, histogram, quantiles and"
              + " contingency (their shape follows from the document); this analysis needs"
              + " privacy.rho (bounds, horizon and fixed point fix its shape) or no secure"
              + " aggregation");
    }
  }

  /**
   * Under ρ every sensitivity must follow from the document: bounds for each non-binary numeric
   * variable whose values are summed, a follow-up horizon for Kaplan–Meier, at least one GLM round.
   */
  private void checkDp(Study s) {
    PrivacyParameters p = s.privacy();
    require(p.glmRounds() >= 1, "privacy.glmRounds", "must be at least 1, got " + p.glmRounds());
    p.followUpDays()
        .ifPresent(
            d -> require(d >= 1, "privacy.followUpDays", "must be at least 1 day, got " + d));
    for (int i = 0; i < s.analyses().size(); i++) {
      String f = "analyses[" + i + "]";
      switch (s.analyses().get(i)) {
        case Analysis.Summary m -> bounded(f, p, m.variable());
        case Analysis.Glm g -> {
          bounded(f, p, g.outcome());
          g.covariates().forEach(v -> bounded(f, p, v));
        }
        case Analysis.KaplanMeier k ->
            require(
                p.followUpDays().isPresent(),
                "privacy.followUpDays",
                "the horizon of the Kaplan–Meier table of " + f + " is needed under privacy.rho");
        case Analysis.Cox x ->
            require(
                false,
                f,
                "a Cox model has no differentially private release yet; drop privacy.rho or"
                    + " the analysis");
        case Analysis.Count c -> {}
        case Analysis.Histogram h -> {}
        case Analysis.Quantiles q -> {}
        case Analysis.Contingency t -> {}
      }
    }
  }

  private void bounded(String f, PrivacyParameters p, Variable v) {
    if (!v.isBinary() && !v.isCategorical()) {
      require(
          p.boundsOf(v).isPresent(),
          "privacy.bounds." + v.name(),
          "missing: " + f + " sums " + v.name() + ", whose bounds set its sensitivity under ρ");
    }
  }

  private void checkCohort(Cohort c) {
    if (c.indexDate() instanceof IndexDate.FirstCondition f) {
      require(!f.codes().isEmpty(), "cohort.indexDate.codes", "at least one code is needed");
    }
    c.age()
        .ifPresent(
            a -> {
              require(a.min() >= 0, "cohort.age.min", "must not be negative, got " + a.min());
              require(
                  a.min() <= a.max(), "cohort.age", "min " + a.min() + " exceeds max " + a.max());
            });
    checkCriteria("cohort.inclusion", c.inclusion());
    checkCriteria("cohort.exclusion", c.exclusion());
  }

  private void checkCriteria(String field, List<Criterion> criteria) {
    for (int i = 0; i < criteria.size(); i++) {
      String f = field + "[" + i + "]";
      Criterion c = criteria.get(i);
      require(!c.window().isEmpty(), f + ".window", "from is after to");
      switch (c) {
        case Criterion.HasCondition h ->
            require(!h.codes().isEmpty(), f + ".codes", "at least one code is needed");
        case Criterion.HasDrug d ->
            require(!d.codes().isEmpty(), f + ".codes", "at least one code is needed");
        case Criterion.HasMeasurement m -> {
          if (m.min().isPresent() && m.max().isPresent()) {
            require(m.min().get() <= m.max().get(), f, "min exceeds max");
          }
        }
      }
    }
  }

  private void checkAnalysis(String f, Analysis a) {
    switch (a) {
      case Analysis.Count c -> {}
      case Analysis.Summary s -> numeric(f + ".variable", s.variable());
      case Analysis.Histogram h -> {
        numeric(f + ".variable", h.variable());
        require(h.edges().size() >= 2, f + ".edges", "at least two edges are needed");
        increasing(f + ".edges", h.edges());
      }
      case Analysis.Contingency t -> {
        labelled(f + ".rows", t.rows());
        labelled(f + ".columns", t.columns());
      }
      case Analysis.Quantiles q -> {
        numeric(f + ".variable", q.variable());
        require(q.min() < q.max(), f + ".max", "must exceed min");
        require(
            q.bins() >= 2 && q.bins() <= 100_000,
            f + ".bins",
            "must be in 2..100000, got " + q.bins());
        require(!q.probabilities().isEmpty(), f + ".probabilities", "at least one is needed");
        q.probabilities()
            .forEach(
                p -> require(p > 0 && p < 1, f + ".probabilities", "must be in (0, 1), got " + p));
      }
      case Analysis.Glm g -> checkGlm(f, g);
      case Analysis.KaplanMeier k -> {
        require(k.binDays() >= 1, f + ".binDays", "must be at least 1, got " + k.binDays());
        k.group().ifPresent(v -> require(v.isBinary(), f + ".group", "must be a binary variable"));
        endpoint(f + ".endpoint", k.endpoint());
      }
      case Analysis.Cox x -> {
        require(x.binDays() >= 1, f + ".binDays", "must be at least 1, got " + x.binDays());
        require(!x.covariates().isEmpty(), f + ".covariates", "at least one covariate is needed");
        covariates(f + ".covariates", x.covariates());
        endpoint(f + ".endpoint", x.endpoint());
      }
    }
  }

  private void checkGlm(String f, Analysis.Glm g) {
    numeric(f + ".outcome", g.outcome());
    if (g.family() == GlmFamily.BINOMIAL) {
      require(g.outcome().isBinary(), f + ".outcome", "binomial needs a binary outcome");
    }
    if (g.family() == GlmFamily.POISSON) {
      require(
          g.outcome() instanceof Variable.ConditionCount || g.outcome().isBinary(),
          f + ".outcome",
          "poisson needs a count outcome (conditionCount)");
    }
    covariates(f + ".covariates", g.covariates());
  }

  private void covariates(String f, List<Variable> covariates) {
    HashSet<String> names = new HashSet<>();
    for (int i = 0; i < covariates.size(); i++) {
      numeric(f + "[" + i + "]", covariates.get(i));
      require(names.add(covariates.get(i).name()), f + "[" + i + "]", "repeats a covariate");
    }
  }

  private void endpoint(String f, Endpoint e) {
    require(
        e.deathIsEvent() || !e.eventConditions().isEmpty(),
        f,
        "needs event conditions or deathIsEvent");
  }

  private void numeric(String f, Variable v) {
    require(!v.isCategorical(), f, v.name() + " is a label, not a number");
  }

  private void labelled(String f, Variable v) {
    require(v.isCategorical() || v.isBinary(), f, v.name() + " must be a label or binary variable");
  }

  private void increasing(String f, List<Double> values) {
    for (int i = 1; i < values.size(); i++) {
      if (!(values.get(i) > values.get(i - 1))) {
        problems.add(new StudyProblem(f, "must be strictly increasing (at position " + i + ")"));
        return;
      }
    }
  }

  private void require(boolean ok, String field, String message) {
    if (!ok) {
      problems.add(new StudyProblem(field, message));
    }
  }
}
