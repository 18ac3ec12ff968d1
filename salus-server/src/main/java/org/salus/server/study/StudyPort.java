package org.salus.server.study;

import org.salus.core.trust.TrustedNodeEntry;
import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort.Reply;

/**
 * A node's side of federated studies, behind its routes (docs/studies.md, "Hub and nodes"). A hub
 * proposes a study with a signed message; the node decides by its policy file or leaves it to the
 * steward; only an approved study can be joined, and only by the hub that proposed it. The server
 * guards and forwards; the implementation (in the node wiring, which holds the store, the consent
 * filter, the disclosure control and the ledger) decides everything. Every method answers with a
 * complete {@link Reply}.
 */
public interface StudyPort {

  /** {@code POST /studies/proposals}: a hub's signed proposal; answers the node's decision. */
  Reply propose(TrustedNodeEntry hub, String signedProposal);

  /** {@code GET /studies/{id}/decision}: where the node stands on a study the caller proposed. */
  Reply decision(TrustedNodeEntry hub, String studyId);

  /** {@code POST /studies/{id}/join}: select the consented population of an approved study. */
  Reply join(TrustedNodeEntry hub, String studyId, String body);

  /** {@code POST /studies/{id}/step}: one analysis step, through the node's disclosure control. */
  Reply step(TrustedNodeEntry hub, String studyId, String body);

  /**
   * The phases of a secure-aggregation round, as their routes name them, in order: the classic
   * four, then the one-trip round's (keys for a batch of rounds ahead of their steps, their shares,
   * and one message per step).
   */
  java.util.List<String> SECURE_PHASES =
      java.util.List.of(
          "open", "share-keys", "masked-input", "unmask", "prepare", "prepare-shares", "one-trip");

  /**
   * {@code POST /studies/{id}/secagg/{phase}}: one phase of a secure-aggregation round of a step
   * (docs/secagg-dp.md): {@code open} computes the step and advertises round keys, {@code
   * share-keys}, {@code masked-input} and {@code unmask} follow; or, for one-trip rounds, {@code
   * prepare} and {@code prepare-shares} key a batch of rounds and {@code one-trip} runs one step in
   * one of them. Same checks as {@link #step}.
   */
  Reply secure(TrustedNodeEntry hub, String studyId, String phase, String body);

  /**
   * {@code POST /studies/{id}/leave}: drop the study's session; answers the node's receipt part.
   */
  Reply leave(TrustedNodeEntry hub, String studyId);

  /** {@code GET /steward/studies}: every study proposed to this node, newest first. */
  Reply proposals(Principal steward);

  /** {@code POST /steward/studies/{id}/approve|reject}: the steward's decision, with a reason. */
  Reply decide(Principal steward, String studyId, boolean approve, String body);

  /** A port for a node that takes part in no study: every call answers 503. */
  static StudyPort unavailable() {
    Reply none = Unavailable.reply("studies.unavailable", "this node takes part in no studies");
    return new StudyPort() {
      @Override
      public Reply propose(TrustedNodeEntry hub, String signedProposal) {
        return none;
      }

      @Override
      public Reply decision(TrustedNodeEntry hub, String studyId) {
        return none;
      }

      @Override
      public Reply join(TrustedNodeEntry hub, String studyId, String body) {
        return none;
      }

      @Override
      public Reply step(TrustedNodeEntry hub, String studyId, String body) {
        return none;
      }

      @Override
      public Reply secure(TrustedNodeEntry hub, String studyId, String phase, String body) {
        return none;
      }

      @Override
      public Reply leave(TrustedNodeEntry hub, String studyId) {
        return none;
      }

      @Override
      public Reply proposals(Principal steward) {
        return none;
      }

      @Override
      public Reply decide(Principal steward, String studyId, boolean approve, String body) {
        return none;
      }
    };
  }
}
