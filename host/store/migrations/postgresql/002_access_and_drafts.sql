-- PostgreSQL twin of ../002_access_and_drafts.sql. None of these tables is linked to responses.
CREATE TABLE access_codes (
    code_hash TEXT PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    school_id BIGINT NOT NULL REFERENCES schools(id),
    is_used   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE drafts (
    token_hash       TEXT PRIMARY KEY,
    survey_id        BIGINT NOT NULL REFERENCES surveys(id),
    expires_on       TEXT NOT NULL,
    code_hash        TEXT,
    fields           TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE used_submissions (
    token_hash TEXT PRIMARY KEY,
    survey_id  BIGINT NOT NULL REFERENCES surveys(id)
);
