-- This node as a witness of other logs: the key rotations it accepted per origin (issue 5), each
-- the c2sp.org/tlog-proof of the log's KeyRotation entry against its handover checkpoint. With the
-- first key from the trust list they give the witness the log's current key after a restart.
-- Public data (keys, checkpoints, a rotation entry without health data). Portable SQL.

CREATE TABLE ledger_witness_rotation (
  origin VARCHAR NOT NULL,
  entry_index BIGINT NOT NULL,
  proof VARCHAR NOT NULL,
  PRIMARY KEY (origin, entry_index)
);
