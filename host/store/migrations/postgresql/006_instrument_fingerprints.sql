-- PostgreSQL twin of ../006_instrument_fingerprints.sql.
CREATE TABLE instrument_fingerprints (
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    instrument_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (survey_id, instrument_key)
);
