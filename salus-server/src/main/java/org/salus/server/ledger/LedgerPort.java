package org.salus.server.ledger;

import java.util.List;
import org.salus.core.error.SalusException;
import org.salus.core.ledger.merkle.ConsistencyProof;
import org.salus.core.ledger.note.SignedCheckpoint;
import org.salus.core.ledger.witness.AddCheckpointRequest;
import org.salus.core.ledger.witness.KeyRotationRequest;
import org.salus.core.ledger.witness.WitnessOutcome;
import org.salus.core.trust.TrustedNodeEntry;

/**
 * What the ledger routes need from the node's ledger and witness state. The server module holds no
 * store; the node's wiring ({@code salus node start}) implements this port with its database.
 */
public interface LedgerPort {

  /**
   * The witness's answer to {@code peer}'s add-checkpoint request for its own log; the log's key is
   * the one the trust list names for that node.
   *
   * @param peer the calling node's trust-list entry, as the guard found it by its TLS certificate
   * @throws SalusException {@code witness.unknown-log} when the checkpoint's origin is not the
   *     calling node's log
   */
  WitnessOutcome addCheckpoint(TrustedNodeEntry peer, AddCheckpointRequest request);

  /**
   * The witness's answer to {@code peer}'s key rotation of its own log: {@code Cosigned} (the
   * handover checkpoint) when the new key is accepted, or a refusal as for add-checkpoint.
   *
   * @throws SalusException {@code witness.unknown-log} when the rotation is not of the calling
   *     node's log; {@code ledger.unavailable} for a node without a ledger
   */
  default WitnessOutcome addKeyRotation(TrustedNodeEntry peer, KeyRotationRequest request) {
    throw new SalusException("ledger.unavailable", "this node follows no key rotations");
  }

  /** This node's own checkpoints, oldest first, each with the cosignatures received. */
  List<SignedCheckpoint> checkpoints();

  /** A consistency proof of this node's log between two sizes. */
  ConsistencyProof consistency(long from, long to);

  /** The committed entry count of this node's log. */
  long size();

  /** The stored bytes of entries {@code start} (inclusive) to {@code end} (exclusive). */
  List<byte[]> entries(long start, long end);

  /**
   * The events of the patient whose record at this node is {@code recordRef} (the patient
   * credential's {@code record_ref}), newest last, each with a c2sp.org/tlog-proof against the
   * latest checkpoint; events no checkpoint covers yet are left out until the next one.
   *
   * @throws SalusException {@code ledger.patient-unknown} when this node holds no such record
   */
  List<ProvenEvent> eventsOf(String recordRef);

  /** One of a patient's events: its index in the log and its tlog-proof file. */
  record ProvenEvent(long index, String proof) {}

  /** A node without a ledger: every call is refused with {@code ledger.unavailable}. */
  static LedgerPort none() {
    return new LedgerPort() {
      @Override
      public WitnessOutcome addCheckpoint(TrustedNodeEntry peer, AddCheckpointRequest request) {
        throw unavailable();
      }

      @Override
      public List<SignedCheckpoint> checkpoints() {
        throw unavailable();
      }

      @Override
      public ConsistencyProof consistency(long from, long to) {
        throw unavailable();
      }

      @Override
      public long size() {
        throw unavailable();
      }

      @Override
      public List<byte[]> entries(long start, long end) {
        throw unavailable();
      }

      @Override
      public List<ProvenEvent> eventsOf(String recordRef) {
        throw unavailable();
      }

      private SalusException unavailable() {
        return new SalusException("ledger.unavailable", "this node serves no ledger");
      }
    };
  }
}
