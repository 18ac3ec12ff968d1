-- Login nonces a node has issued and not yet seen used (issue 3, replay protection across
-- restarts). One row per outstanding nonce: the base64url SHA-256 of the nonce (never the nonce
-- itself) and the instant (UTC) from which it is no longer accepted. A login deletes the row, so a
-- nonce is usable once; expired rows are purged by the node. Portable SQL: DuckDB and PostgreSQL.
CREATE TABLE login_nonce (
  digest TEXT PRIMARY KEY CHECK (digest <> ''),
  expires_at TIMESTAMP NOT NULL
);
