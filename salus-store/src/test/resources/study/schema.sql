-- The columns of the store's V1 analytic tables (db/migration/V1__analytic_tables.sql) that
-- study SQL reads, and nothing else, so tests can insert rows by position.
CREATE TABLE person (record_key VARCHAR PRIMARY KEY, person_key VARCHAR NOT NULL, sex VARCHAR NOT NULL, birth_date DATE NOT NULL);
CREATE TABLE condition_occurrence (record_key VARCHAR PRIMARY KEY, person_key VARCHAR NOT NULL, condition_source_code VARCHAR NOT NULL, condition_start_date DATE NOT NULL);
CREATE TABLE measurement (record_key VARCHAR PRIMARY KEY, person_key VARCHAR NOT NULL, measurement_source_code VARCHAR NOT NULL, measurement_datetime TIMESTAMP NOT NULL, value_as_number DOUBLE PRECISION);
CREATE TABLE drug_exposure (record_key VARCHAR PRIMARY KEY, person_key VARCHAR NOT NULL, drug_source_code VARCHAR NOT NULL, drug_exposure_start_date DATE NOT NULL);
CREATE TABLE death (record_key VARCHAR PRIMARY KEY, person_key VARCHAR NOT NULL, death_date DATE NOT NULL);
CREATE INDEX condition_person ON condition_occurrence (person_key);
CREATE INDEX measurement_person ON measurement (person_key);
CREATE INDEX death_person ON death (person_key);
