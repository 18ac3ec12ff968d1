-- Ledger leaf tiles (issue 5, proof speed): the leaf hashes of each complete, aligned run of 16
-- entries in one row, so the bottom four levels of any inclusion proof come from one point read
-- of the primary key instead of a range scan of ledger_entry. Row idx holds the 16 leaf hashes of
-- entries [16 * idx, 16 * idx + 16), concatenated in order (512 bytes). Derived data, written in
-- the same transaction as the entries that complete it. Ledgers written before this migration are
-- filled in by LedgerAppender.open (the only writer), chunk by chunk; until then a missing tile is
-- read from ledger_entry. Portable SQL: DuckDB and PostgreSQL.
CREATE TABLE ledger_tile (
  idx BIGINT PRIMARY KEY,
  hashes BYTEA NOT NULL
);
