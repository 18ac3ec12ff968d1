package org.salus.server.study;

import org.salus.server.login.Principal;
import org.salus.server.records.RecordsPort.Reply;

/**
 * The hub's side of federated studies (docs/studies.md, "Hub and nodes"): researchers submit study
 * documents, follow their state and read their results. A researcher sees only the studies they
 * submitted (by credential issuer and subject). Every method answers with a complete {@link Reply}.
 */
public interface HubPort {

  /** {@code POST /hub/studies}: a study document; answers its id and the nodes it was sent to. */
  Reply submit(Principal researcher, String studyJson);

  /** {@code GET /hub/studies}: the caller's studies with their states. */
  Reply list(Principal researcher);

  /** {@code GET /hub/studies/{id}}: one study's state, node by node. */
  Reply status(Principal researcher, String studyId);

  /** {@code GET /hub/studies/{id}/results}: the results of a finished study. */
  Reply results(Principal researcher, String studyId);

  /** A port for a node that runs no hub: every call answers 503. */
  static HubPort unavailable() {
    Reply none =
        Unavailable.reply(
            "hub.unavailable", "this node runs no hub; start one with salus hub start");
    return new HubPort() {
      @Override
      public Reply submit(Principal researcher, String studyJson) {
        return none;
      }

      @Override
      public Reply list(Principal researcher) {
        return none;
      }

      @Override
      public Reply status(Principal researcher, String studyId) {
        return none;
      }

      @Override
      public Reply results(Principal researcher, String studyId) {
        return none;
      }
    };
  }
}
