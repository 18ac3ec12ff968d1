package org.salus.cli;

import java.util.List;
import org.salus.core.secagg.AdvertiseKeys;
import org.salus.core.secagg.EncryptedShares;
import org.salus.core.secagg.KeyDirectory;
import org.salus.core.secagg.MaskedInput;
import org.salus.core.secagg.ShareDelivery;
import org.salus.core.secagg.UnmaskRequest;
import org.salus.core.secagg.UnmaskResponse;
import org.salus.core.study.Study;
import org.salus.core.study.run.Joining;
import org.salus.core.study.run.NodeReply;
import org.salus.core.study.run.SecureOneTrip;
import org.salus.core.study.run.SecureOpening;
import org.salus.core.study.run.SecurePreparation;
import org.salus.core.study.run.SecureRound;
import org.salus.core.study.run.SecureStep;
import org.salus.core.study.run.StepRequest;
import org.salus.core.study.run.StudyNode;

/**
 * A study node for tests that hands every call to another, telling {@link #called} the name of each
 * step and secure phase first (the route's name: {@code step}, {@code open}, {@code share-keys},
 * {@code masked-input}, {@code unmask}, {@code prepare}, {@code prepare-shares}, {@code one-trip}).
 * Subclasses record what passes or fail a phase.
 */
class ForwardingStudyNode implements StudyNode {

  final StudyNode node;

  ForwardingStudyNode(StudyNode node) {
    this.node = node;
  }

  /** Told before each step or secure phase is handed on. */
  void called(String phase) {}

  @Override
  public String name() {
    return node.name();
  }

  @Override
  public Joining join(Study study) {
    return node.join(study);
  }

  @Override
  public NodeReply step(StepRequest request) {
    called("step");
    return node.step(request);
  }

  @Override
  public SecureOpening secureOpen(SecureRound round) {
    called("open");
    return node.secureOpen(round);
  }

  @Override
  public EncryptedShares secureShareKeys(String roundId, KeyDirectory directory) {
    called("share-keys");
    return node.secureShareKeys(roundId, directory);
  }

  @Override
  public MaskedInput secureMaskedInput(String roundId, ShareDelivery delivery) {
    called("masked-input");
    return node.secureMaskedInput(roundId, delivery);
  }

  @Override
  public UnmaskResponse secureUnmask(String roundId, UnmaskRequest request) {
    called("unmask");
    return node.secureUnmask(roundId, request);
  }

  @Override
  public List<AdvertiseKeys> securePrepare(SecurePreparation preparation) {
    called("prepare");
    return node.securePrepare(preparation);
  }

  @Override
  public List<EncryptedShares> securePrepareShares(
      List<String> roundIds, List<KeyDirectory> directories) {
    called("prepare-shares");
    return node.securePrepareShares(roundIds, directories);
  }

  @Override
  public SecureOneTrip secureOneTrip(SecureStep step) {
    called("one-trip");
    return node.secureOneTrip(step);
  }

  @Override
  public void close() {
    node.close();
  }
}
