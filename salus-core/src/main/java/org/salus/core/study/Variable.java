package org.salus.core.study;

import java.util.List;
import java.util.Objects;
import org.salus.core.record.Code;
import org.salus.core.record.Sex;

/** A per-person value computed at the node from the analytic tables, relative to the index date. */
public sealed interface Variable {

  /** The name results use for this variable. */
  String name();

  /** Whether the variable only takes the values 0 and 1. */
  default boolean isBinary() {
    return false;
  }

  /** Whether the variable is a category label (for tables), not a number. */
  default boolean isCategorical() {
    return false;
  }

  /** Age in whole years at the index date. */
  record Age() implements Variable {
    @Override
    public String name() {
      return "age";
    }
  }

  /** Ten-year (or {@code width}-year) age band as a label, for tables. */
  record AgeBand(int width) implements Variable {
    @Override
    public String name() {
      return "age_band";
    }

    @Override
    public boolean isCategorical() {
      return true;
    }
  }

  /** Recorded sex as a label, for tables. */
  record SexLabel() implements Variable {
    @Override
    public String name() {
      return "sex";
    }

    @Override
    public boolean isCategorical() {
      return true;
    }
  }

  /** 1 when the person's recorded sex is {@code sex}, else 0. */
  record SexIs(Sex sex) implements Variable {
    public SexIs {
      Objects.requireNonNull(sex, "sex");
    }

    @Override
    public String name() {
      return "sex_" + sex.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean isBinary() {
      return true;
    }
  }

  /** 1 when any of the conditions started within the window, else 0. */
  record HasCondition(String name, List<Code> codes, Window window) implements Variable {
    public HasCondition {
      Objects.requireNonNull(name, "name");
      codes = List.copyOf(codes);
      Objects.requireNonNull(window, "window");
    }

    @Override
    public boolean isBinary() {
      return true;
    }
  }

  /** How many times any of the conditions started within the window (a count, for poisson). */
  record ConditionCount(String name, List<Code> codes, Window window) implements Variable {
    public ConditionCount {
      Objects.requireNonNull(name, "name");
      codes = List.copyOf(codes);
      Objects.requireNonNull(window, "window");
    }
  }

  /**
   * The mean of the measurement's numeric values within the window; persons with none are left out
   * of analyses that use it (complete cases).
   */
  record MeasurementValue(String name, Code code, Window window) implements Variable {
    public MeasurementValue {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(window, "window");
    }
  }

  /**
   * {@code variable} clamped into [{@code lower}, {@code upper}] at the node (a missing value stays
   * missing): how a study with ρ bounds each person's contribution. Named as the variable.
   */
  record Bounded(Variable variable, double lower, double upper) implements Variable {
    public Bounded {
      Objects.requireNonNull(variable, "variable");
      if (!(lower <= upper) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
        throw new IllegalArgumentException("bounds must be a finite range");
      }
    }

    @Override
    public String name() {
      return variable.name();
    }

    @Override
    public boolean isBinary() {
      return variable.isBinary();
    }

    @Override
    public boolean isCategorical() {
      return variable.isCategorical();
    }
  }
}
