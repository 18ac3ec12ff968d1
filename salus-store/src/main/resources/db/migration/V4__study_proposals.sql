-- Studies proposed to this node by a hub (issue 6, governance). One row per study; the hub's
-- signed proposal (compact JWS) is kept as evidence. A row is inserted 'pending', 'approved' or
-- 'rejected' and a pending row is decided once, by the steward. The researcher is named by the
-- credential issuer and pseudonymous subject the hub vouches for; no patient data is held here.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

CREATE TABLE study_proposal (
  study_id TEXT PRIMARY KEY CHECK (study_id <> ''),
  hub TEXT NOT NULL CHECK (hub <> ''),
  researcher TEXT NOT NULL CHECK (researcher <> ''),
  institution TEXT,
  title TEXT NOT NULL,
  purpose TEXT NOT NULL,
  document TEXT NOT NULL,
  proposal TEXT NOT NULL,
  received_at TIMESTAMP NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  decided_by TEXT,
  decided_at TIMESTAMP,
  rule TEXT,
  reason TEXT
);
