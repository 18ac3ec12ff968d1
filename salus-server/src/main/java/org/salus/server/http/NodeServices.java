package org.salus.server.http;

import java.util.Objects;
import org.salus.server.credential.NonceStore;
import org.salus.server.ledger.LedgerPort;
import org.salus.server.records.RecordsPort;
import org.salus.server.study.HubPort;
import org.salus.server.study.StudyPort;

/**
 * What a node serves behind its routes, and where it keeps login nonces. Start from {@link #none()}
 * (every port answering 503, nonces in memory) and set what the node has.
 */
public record NodeServices(
    RecordsPort records, LedgerPort ledger, StudyPort studies, HubPort hub, NonceStore nonces) {

  public NodeServices {
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(studies, "studies");
    Objects.requireNonNull(hub, "hub");
    Objects.requireNonNull(nonces, "nonces");
  }

  /** A node serving nothing beyond login, status and its trust list. */
  public static NodeServices none() {
    return new NodeServices(
        RecordsPort.unavailable(),
        LedgerPort.none(),
        StudyPort.unavailable(),
        HubPort.unavailable(),
        NonceStore.inMemory());
  }

  public NodeServices withRecords(RecordsPort r) {
    return new NodeServices(r, ledger, studies, hub, nonces);
  }

  public NodeServices withLedger(LedgerPort l) {
    return new NodeServices(records, l, studies, hub, nonces);
  }

  public NodeServices withStudies(StudyPort s) {
    return new NodeServices(records, ledger, s, hub, nonces);
  }

  public NodeServices withHub(HubPort h) {
    return new NodeServices(records, ledger, studies, h, nonces);
  }

  /** Login nonces kept in {@code n}: with a durable store they stay single-use across restarts. */
  public NodeServices withNonces(NonceStore n) {
    return new NodeServices(records, ledger, studies, hub, n);
  }
}
