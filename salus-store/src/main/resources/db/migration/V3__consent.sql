-- Consents recorded at the node (issue 4). One row per version of a patient's consent; rows are
-- only ever inserted (a change is a new version), so any decision can be replayed as of a time.
-- person_key is the pseudonymous key ingest gives the patient; the FHIR R4 Consent as received is
-- AES-256-GCM encrypted under the node's data-encryption key, with
-- "consent|<person_key>|<version>" as associated data, so a ciphertext moved to another row does
-- not decrypt. snapshot_hash is the version's SHA-256 (ConsentVersion.hash), checked on load.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

CREATE TABLE consent_version (
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  version INTEGER NOT NULL CHECK (version >= 1),
  recorded_at TIMESTAMP NOT NULL,
  snapshot_hash TEXT NOT NULL CHECK (snapshot_hash <> ''),
  nonce BYTEA NOT NULL,
  ciphertext BYTEA NOT NULL,
  PRIMARY KEY (person_key, version)
);

-- The steward's default per purpose (HL7 v3 PurposeOfUse code) where a patient's consent says
-- nothing. A purpose without a row is opt-in. The jurisdiction the defaults are for is kept in
-- consent_setting.
CREATE TABLE consent_default (
  purpose TEXT PRIMARY KEY CHECK (purpose <> ''),
  rule TEXT NOT NULL CHECK (rule IN ('opt-in', 'opt-out')),
  updated_at TIMESTAMP NOT NULL
);

-- Node-wide consent settings: today only 'jurisdiction' (ISO 3166-1 alpha-2 or a region code).
CREATE TABLE consent_setting (
  name TEXT PRIMARY KEY CHECK (name <> ''),
  value TEXT NOT NULL
);
