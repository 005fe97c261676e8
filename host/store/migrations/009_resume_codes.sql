-- Resume codes: continuing a draft on another device (issue 12; docs/privacy.md, "No residue").
--
-- A respondent may ask for a resume code while answering; it is shown once and never stored. The
-- row keeps only a BLAKE2b hash of the code (its own context, to find the row) and the draft's
-- cookie token wrapped in a libsodium secretbox under a key derived from the code (another context).
-- Typing the code on another device unwraps the token, which opens the sealed draft: without the
-- code, the server (or a copy of this database) can open neither. No row holds answers in clear:
-- the answers stay sealed in `drafts`.
--
-- One code per draft (a new one replaces the old), used once, and gone with its draft (submitted,
-- expired or deleted: ON DELETE CASCADE, under secure_delete).
CREATE TABLE resume_codes (
    code_hash        TEXT PRIMARY KEY,
    draft_token_hash TEXT NOT NULL UNIQUE REFERENCES drafts(token_hash) ON DELETE CASCADE,
    wrapped_token    BLOB NOT NULL  -- nonce (24 bytes) followed by the secretbox of the draft's cookie token
) WITHOUT ROWID;
