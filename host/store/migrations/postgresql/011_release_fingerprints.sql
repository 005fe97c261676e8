-- PostgreSQL twin of ../011_release_fingerprints.sql.
ALTER TABLE releases ADD COLUMN instrument_fingerprints TEXT NOT NULL DEFAULT '{}';
