-- PostgreSQL twin of ../005_releases.sql: releases are immutable (no code path updates or deletes
-- a row), and a response's release_number is the only, coarse, trace of when it arrived.
CREATE TABLE releases (
    survey_id           BIGINT NOT NULL REFERENCES surveys(id),
    number              INTEGER NOT NULL CHECK (number >= 1),
    published_on        TEXT NOT NULL CHECK (published_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    kind                TEXT NOT NULL CHECK (kind IN ('interim', 'final')),
    responses           BIGINT NOT NULL CHECK (responses >= 0),
    suppression_pattern TEXT NOT NULL,
    audit_report        TEXT NOT NULL,
    profile_sha256      TEXT NOT NULL,
    PRIMARY KEY (survey_id, number)
);
CREATE UNIQUE INDEX releases_one_final ON releases (survey_id) WHERE kind = 'final';

ALTER TABLE responses ADD COLUMN release_number INTEGER;
CREATE INDEX responses_by_release ON responses (survey_id, release_number);
