package org.salus.core.disclosure;

import java.util.List;
import java.util.Objects;
import org.salus.core.stats.Statistic;

/**
 * The outcome of checking one step's outputs: all released, or all withheld with the rule named.
 */
public sealed interface Disclosure {

  /** Every output of the step may leave the node. */
  record Released(List<Statistic> values) implements Disclosure {
    public Released {
      values = List.copyOf(values);
    }
  }

  /**
   * Nothing of the step leaves the node. {@code explanation} says which output and which count
   * tripped the rule, never a value; {@code remedy} says what to change.
   */
  record Withheld(DisclosureRule rule, String explanation, String remedy) implements Disclosure {
    public Withheld {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(explanation, "explanation");
      Objects.requireNonNull(remedy, "remedy");
    }
  }
}
