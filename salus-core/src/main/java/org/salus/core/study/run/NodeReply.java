package org.salus.core.study.run;

import java.util.Objects;
import org.salus.core.disclosure.DisclosureRule;
import org.salus.core.stats.Statistic;

/**
 * A node's answer to one {@link StepRequest}: the step's statistic, released after the node's
 * disclosure control; or nothing, withheld under a named rule; or nothing because the node failed.
 */
public sealed interface NodeReply {

  /** The step passed every disclosure rule at the node. */
  record Released(Statistic statistic) implements NodeReply {
    public Released {
      Objects.requireNonNull(statistic, "statistic");
    }
  }

  /** The node withheld the whole step: which rule, why (no values), and what to change. */
  record Withheld(DisclosureRule rule, String explanation, String remedy) implements NodeReply {
    public Withheld {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(explanation, "explanation");
      Objects.requireNonNull(remedy, "remedy");
    }
  }

  /** The node could not compute the step: a stable error code and a message without data. */
  record Failed(String code, String message) implements NodeReply {
    public Failed {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
