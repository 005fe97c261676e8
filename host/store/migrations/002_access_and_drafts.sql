-- One-time access codes, server-side drafts, and the submission tokens that make submitting
-- exactly-once. None of these tables is linked to responses: no response row refers to them and
-- they refer to no response row.

-- Codes are kept only as SHA-256 hashes. is_used flips to 1 in the transaction that stores a
-- response, which itself records nothing about the code.
CREATE TABLE access_codes (
    code_hash TEXT PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    is_used   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- A respondent's answers so far, under the hash of a random token kept in their cookie.
-- expires_on is a date (the day after the survey closes), not a time of answering.
CREATE TABLE drafts (
    token_hash       TEXT PRIMARY KEY,
    survey_id        INTEGER NOT NULL REFERENCES surveys(id),
    expires_on       TEXT NOT NULL,
    code_hash        TEXT,
    fields           TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;

-- Hashes of submission tokens already used: a second submit with the same token stores nothing.
-- A draft's submission token is derived from its cookie token, so a repeat is recognised after
-- the draft is gone.
-- WITHOUT ROWID keeps them in hash order, not arrival order.
CREATE TABLE used_submissions (
    token_hash TEXT PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys(id)
) WITHOUT ROWID;
