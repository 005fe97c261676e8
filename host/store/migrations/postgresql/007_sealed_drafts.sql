-- PostgreSQL twin of ../007_sealed_drafts.sql: drafts become one sealed blob; unsealed ones are
-- deleted, not converted.
DROP TABLE drafts;

CREATE TABLE drafts (
    token_hash TEXT PRIMARY KEY,
    survey_id  BIGINT NOT NULL REFERENCES surveys(id),
    expires_on TEXT NOT NULL,  -- a date (the day after the survey closes), not a time of answering
    sealed     BYTEA NOT NULL  -- nonce (24 bytes) followed by the secretbox of the draft's JSON
);

CREATE INDEX drafts_by_survey ON drafts (survey_id);
