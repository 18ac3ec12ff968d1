package org.salus.core.study.run;

import org.salus.core.stats.Statistic;
import org.salus.core.study.Study;

/**
 * How a step's statistic travels under secure aggregation: as an integer vector of a length fixed
 * by the study document and the step (never by the data), summed mod 2^64 over the nodes. The hub
 * reads the summed vector back into a statistic and post-processes it.
 */
public interface StepVectors {

  /** The length of every node's vector for this step. */
  int length(Study study, StepRequest step);

  /** The statistic the summed vector of {@code contributors} nodes stands for. */
  Statistic decode(Study study, StepRequest step, long[] sum, int contributors);
}
