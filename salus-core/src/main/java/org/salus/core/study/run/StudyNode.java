package org.salus.core.study.run;

import org.salus.core.study.Study;

/**
 * The coordinator's view of one node: the hub↔node contract. A node joins a study (selecting its
 * consented population), then answers steps one at a time; every answer has been through the node's
 * own disclosure control. A local node runs in the same process over a node directory; a remote one
 * speaks the same contract over HTTP.
 */
public interface StudyNode extends AutoCloseable {

  /** The node's name, as results name it. */
  String name();

  /** Take part in the study: select the population whose consent permits its purpose. */
  Joining join(Study study);

  /** Compute one step of the joined study. Never throws for a node-side failure: {@code Failed}. */
  NodeReply step(StepRequest request);

  /** Leave the study: drop what the node prepared for it. */
  @Override
  void close();
}
