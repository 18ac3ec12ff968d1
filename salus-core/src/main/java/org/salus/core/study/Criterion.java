package org.salus.core.study;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.salus.core.record.Code;

/** A fact a person must have (inclusion) or must not have (exclusion), within a window. */
public sealed interface Criterion {

  Window window();

  /** Any of these conditions started within the window. */
  record HasCondition(List<Code> codes, Window window) implements Criterion {
    public HasCondition {
      codes = List.copyOf(codes);
      Objects.requireNonNull(window, "window");
    }
  }

  /** A measurement with this code, its value within [min, max] where given, within the window. */
  record HasMeasurement(Code code, Optional<Double> min, Optional<Double> max, Window window)
      implements Criterion {
    public HasMeasurement {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(window, "window");
    }
  }

  /** An exposure to any of these drugs starting within the window. */
  record HasDrug(List<Code> codes, Window window) implements Criterion {
    public HasDrug {
      codes = List.copyOf(codes);
      Objects.requireNonNull(window, "window");
    }
  }
}
