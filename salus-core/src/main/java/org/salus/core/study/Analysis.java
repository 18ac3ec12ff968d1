package org.salus.core.study;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.salus.core.stats.GlmFamily;

/** One question asked of the cohort. Each is answered from sums the nodes compute in SQL. */
public sealed interface Analysis {

  /** Number of persons in the cohort. */
  record Count() implements Analysis {}

  /** Count, sum, mean and variance of a numeric variable. */
  record Summary(Variable variable) implements Analysis {
    public Summary {
      Objects.requireNonNull(variable, "variable");
    }
  }

  /** Counts per bin; {@code edges} are increasing, bin i is [edges[i], edges[i+1]). */
  record Histogram(Variable variable, List<Double> edges) implements Analysis {
    public Histogram {
      Objects.requireNonNull(variable, "variable");
      edges = List.copyOf(edges);
    }
  }

  /** Two-way table of counts of two categorical or binary variables. */
  record Contingency(Variable rows, Variable columns) implements Analysis {
    public Contingency {
      Objects.requireNonNull(rows, "rows");
      Objects.requireNonNull(columns, "columns");
    }
  }

  /** Quantiles read from a fine histogram of {@code bins} equal bins over [min, max). */
  record Quantiles(Variable variable, double min, double max, int bins, List<Double> probabilities)
      implements Analysis {
    public Quantiles {
      Objects.requireNonNull(variable, "variable");
      probabilities = List.copyOf(probabilities);
    }
  }

  /** A generalised linear model with an intercept, fitted exactly by federated IRLS. */
  record Glm(GlmFamily family, Variable outcome, List<Variable> covariates) implements Analysis {
    public Glm {
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(outcome, "outcome");
      covariates = List.copyOf(covariates);
    }
  }

  /**
   * Kaplan–Meier curves per level of a binary {@code group} (or one curve), on a grid of {@code
   * binDays}-day bins, with a log-rank test when there are two groups.
   */
  record KaplanMeier(Endpoint endpoint, Optional<Variable> group, int binDays) implements Analysis {
    public KaplanMeier {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(group, "group");
    }
  }

  /** Cox proportional hazards (Breslow ties) on a grid of {@code binDays}-day bins. */
  record Cox(Endpoint endpoint, List<Variable> covariates, int binDays) implements Analysis {
    public Cox {
      Objects.requireNonNull(endpoint, "endpoint");
      covariates = List.copyOf(covariates);
    }
  }
}
