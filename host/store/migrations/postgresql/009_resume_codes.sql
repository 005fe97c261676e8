-- PostgreSQL twin of ../009_resume_codes.sql: one resume code per draft, used once, gone with it.
CREATE TABLE resume_codes (
    code_hash        TEXT PRIMARY KEY,
    draft_token_hash TEXT NOT NULL UNIQUE REFERENCES drafts(token_hash) ON DELETE CASCADE,
    wrapped_token    BYTEA NOT NULL
);
