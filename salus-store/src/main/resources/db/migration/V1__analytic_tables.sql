-- Analytic tables modelled on OMOP CDM v5.4 (https://ohdsi.github.io/CommonDataModel/cdm54.html).
-- Rows are keyed by record_key (a keyed hash of the source record) and carry person_key (a keyed
-- hash of the person's source identifier): no names, addresses, telecom, identifiers or free text.
-- Source codes are kept as <vocabulary, code> pairs instead of OMOP concept ids.
-- Portable SQL: runs unchanged on DuckDB and PostgreSQL.

CREATE TABLE person (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female', 'other', 'unknown')),
  birth_date DATE NOT NULL,
  birth_precision TEXT NOT NULL CHECK (birth_precision IN ('year', 'month', 'day')),
  year_of_birth INTEGER NOT NULL
);

CREATE TABLE observation_period (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  observation_period_start_date DATE NOT NULL,
  observation_period_end_date DATE NOT NULL,
  CHECK (observation_period_end_date >= observation_period_start_date)
);

CREATE TABLE visit_occurrence (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  visit_class TEXT NOT NULL,
  visit_source_vocabulary TEXT,
  visit_source_code TEXT,
  visit_start_datetime TIMESTAMP NOT NULL,
  visit_end_datetime TIMESTAMP,
  CHECK (visit_end_datetime IS NULL OR visit_end_datetime >= visit_start_datetime)
);

CREATE TABLE condition_occurrence (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  visit_key TEXT,
  condition_source_vocabulary TEXT NOT NULL,
  condition_source_code TEXT NOT NULL,
  condition_start_date DATE NOT NULL,
  condition_end_date DATE,
  CHECK (condition_end_date IS NULL OR condition_end_date >= condition_start_date)
);

CREATE TABLE drug_exposure (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  visit_key TEXT,
  drug_source_vocabulary TEXT NOT NULL,
  drug_source_code TEXT NOT NULL,
  drug_exposure_start_date DATE NOT NULL,
  drug_exposure_end_date DATE,
  CHECK (drug_exposure_end_date IS NULL OR drug_exposure_end_date >= drug_exposure_start_date)
);

CREATE TABLE procedure_occurrence (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  visit_key TEXT,
  procedure_source_vocabulary TEXT NOT NULL,
  procedure_source_code TEXT NOT NULL,
  procedure_date DATE NOT NULL
);

CREATE TABLE measurement (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  visit_key TEXT,
  measurement_source_vocabulary TEXT NOT NULL,
  measurement_source_code TEXT NOT NULL,
  measurement_datetime TIMESTAMP NOT NULL,
  value_as_number DOUBLE PRECISION,
  unit_source_value TEXT,
  value_source_vocabulary TEXT,
  value_source_code TEXT
);

CREATE TABLE observation (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  visit_key TEXT,
  observation_source_vocabulary TEXT NOT NULL,
  observation_source_code TEXT NOT NULL,
  observation_datetime TIMESTAMP NOT NULL,
  value_source_vocabulary TEXT,
  value_source_code TEXT
);

CREATE TABLE death (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL CHECK (person_key <> ''),
  death_date DATE NOT NULL
);

-- The original source records, AES-256-GCM encrypted under the node's data-encryption key with
-- the record key as associated data.
CREATE TABLE source_document (
  record_key TEXT PRIMARY KEY CHECK (record_key <> ''),
  person_key TEXT NOT NULL,
  source_type TEXT NOT NULL,
  nonce BYTEA NOT NULL,
  ciphertext BYTEA NOT NULL
);

-- Files loaded, by SHA-256 of their bytes: loading the same file again changes nothing.
-- counts: JSON object of source records per type.
CREATE TABLE ingest_file (
  sha256 TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  counts TEXT NOT NULL
);
