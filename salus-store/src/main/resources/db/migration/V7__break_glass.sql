-- Emergency (break-glass) accesses opened at this node (issue 4), so that they outlive a restart:
-- an access open when the node stops is resumed when it starts, one whose time limit passed
-- meanwhile is ended at that limit, and the steward's review queue keeps each stated reason and
-- review. The clinician is named by credential issuer and subject, the patient by the
-- pseudonymous person key ingest gave them (node-internal; the ledger holds only a salted hash).
-- The stated reason and the steward's note are free text that may describe the patient's
-- condition: AES-256-GCM encrypted under the node's data key, with
-- "break-glass|<session_id>|reason" and "break-glass|<session_id>|note" as associated data.
-- Classes and hidden labels are the comma-separated codes the access was opened with.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

CREATE TABLE break_glass_session (
  session_id TEXT PRIMARY KEY CHECK (session_id <> ''),
  clinician_issuer TEXT NOT NULL CHECK (clinician_issuer <> ''),
  clinician_subject TEXT NOT NULL CHECK (clinician_subject <> ''),
  requester_reference TEXT NOT NULL CHECK (requester_reference <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  classes TEXT NOT NULL CHECK (classes <> ''),
  hidden_labels TEXT NOT NULL,
  started_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  ended_at TIMESTAMP,
  ended_by TEXT CHECK (ended_by IN ('clinician', 'time-limit', 'restart-recovery')),
  reason_nonce BYTEA NOT NULL,
  reason_ciphertext BYTEA NOT NULL,
  reviewed_by TEXT,
  reviewed_at TIMESTAMP,
  outcome TEXT CHECK (outcome IN ('justified', 'unjustified')),
  note_nonce BYTEA,
  note_ciphertext BYTEA,
  CHECK (expires_at > started_at),
  CHECK ((ended_at IS NULL) = (ended_by IS NULL)),
  CHECK ((outcome IS NULL) = (reviewed_at IS NULL) AND (outcome IS NULL) = (reviewed_by IS NULL))
);
