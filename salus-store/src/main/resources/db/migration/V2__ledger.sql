-- Ledger (issue 5): an append-only RFC 9162 Merkle log of the node's events, its signed
-- checkpoints, the witnesses' cosignatures, per-patient subject salts, and this node's own
-- witness state for the other nodes' logs. Portable SQL: DuckDB and PostgreSQL.

-- One row per entry. leaf_hash = SHA-256(0x00 || entry): level 0 of the tree.
CREATE TABLE ledger_entry (
  idx BIGINT PRIMARY KEY,
  leaf_hash BYTEA NOT NULL,
  entry BYTEA NOT NULL
);

-- Complete perfect subtrees at levels 4, 8, 12, ...: node (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level). Levels in between are folded from at most 16 stored
-- hashes of the level below (a tile of height 4). Written in the same transaction as its entries.
CREATE TABLE ledger_node (
  level SMALLINT NOT NULL,
  idx BIGINT NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (level, idx)
);

-- Signed checkpoints (C2SP tlog-checkpoint notes, the log's signature only).
CREATE TABLE ledger_checkpoint (
  tree_size BIGINT PRIMARY KEY,
  note VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL
);

-- Witness cosignatures (C2SP tlog-cosignature lines) of stored checkpoints.
CREATE TABLE ledger_cosignature (
  tree_size BIGINT NOT NULL,
  witness VARCHAR NOT NULL,
  signature_line VARCHAR NOT NULL,
  received_at TIMESTAMP NOT NULL,
  PRIMARY KEY (tree_size, witness)
);

-- The salt of each patient's subject id. Deleting a row unlinks that patient's entries.
CREATE TABLE ledger_subject_salt (
  person_key VARCHAR PRIMARY KEY,
  salt BYTEA NOT NULL
);

-- This node as a witness: the latest checkpoint it cosigned per origin, and forks it saw.
CREATE TABLE ledger_witnessed (
  origin VARCHAR PRIMARY KEY,
  note VARCHAR NOT NULL
);

CREATE TABLE ledger_fork (
  origin VARCHAR NOT NULL,
  detected_at TIMESTAMP NOT NULL,
  cosigned_note VARCHAR NOT NULL,
  offered_note VARCHAR NOT NULL,
  description VARCHAR NOT NULL
);
