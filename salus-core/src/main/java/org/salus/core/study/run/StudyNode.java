package org.salus.core.study.run;

import org.salus.core.error.SalusException;
import org.salus.core.secagg.EncryptedShares;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.secagg.UnmaskResponse;
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

  /** Stable code of a node that cannot take part in secure aggregation. */
  String SECAGG_UNSUPPORTED = "secagg.unsupported";

  /**
   * Secure aggregation, phase 0: compute the round's step (disclosure control, DP share and charge
   * as for {@link #step}), encode it as the round's integer vector, keep it for this round only,
   * and advertise fresh round keys; or decline with the step's reply. The later phases throw for a
   * node-side failure (the hub counts the node as dropped at that phase).
   */
  default SecureOpening secureOpen(SecureRound round) {
    return new SecureOpening.Declined(
        new NodeReply.Failed(SECAGG_UNSUPPORTED, "node " + name() + " has no secure aggregation"));
  }

  /** Phase 1: shares of this round's secrets, encrypted to each other participant. */
  default EncryptedShares secureShareKeys(String roundId, KeyDirectory directory) {
    throw new SalusException(SECAGG_UNSUPPORTED, "node " + name() + " has no secure aggregation");
  }

  /** Phase 2: the round's vector, masked. The plain vector never leaves the node. */
  default MaskedInput secureMaskedInput(String roundId, ShareDelivery delivery) {
    throw new SalusException(SECAGG_UNSUPPORTED, "node " + name() + " has no secure aggregation");
  }

  /** Phase 3: the shares the hub needs to remove the masks; the node forgets the round. */
  default UnmaskResponse secureUnmask(String roundId, UnmaskRequest request) {
    throw new SalusException(SECAGG_UNSUPPORTED, "node " + name() + " has no secure aggregation");
  }

  /**
   * One-trip rounds (docs/secagg-dp.md): key a batch of rounds before their steps are known; fresh
   * keys per round, in the preparation's order. Throws for a node that cannot (the hub then runs
   * the classic four-phase round).
   */
  default java.util.List<org.salus.core.secagg.AdvertiseKeys> securePrepare(
      SecurePreparation preparation) {
    throw new SalusException(SECAGG_UNSUPPORTED, "node " + name() + " has no one-trip rounds");
  }

  /** The prepared rounds' shares, encrypted to the other participants: one per directory. */
  default java.util.List<EncryptedShares> securePrepareShares(
      java.util.List<String> roundIds, java.util.List<KeyDirectory> directories) {
    throw new SalusException(SECAGG_UNSUPPORTED, "node " + name() + " has no one-trip rounds");
  }

  /**
   * A step in a prepared round: computed as for {@link #secureOpen}, answered in one message (the
   * masked vector and its self-mask shares, or a decline with the round's masking key). The node
   * forgets the round either way.
   */
  default SecureOneTrip secureOneTrip(SecureStep step) {
    throw new SalusException(SECAGG_UNSUPPORTED, "node " + name() + " has no one-trip rounds");
  }

  /** Leave the study: drop what the node prepared for it. */
  @Override
  void close();
}
