-- Drafts sealed with a key only the respondent's browser holds (docs/privacy.md, "No residue").
--
-- A draft is now one opaque blob: libsodium secretbox (XSalsa20-Poly1305) under a key derived from
-- the token in the respondent's draft cookie, with a random nonce per save. Inside it are the
-- answers so far and the hash of the access code the respondent started with, so no row, and no
-- write-ahead-log frame, holds a code hash or an answer in clear next to a draft. The server keeps
-- only the SHA-256 of the token, to find the row.
--
-- Drafts stored before this migration are deleted, not converted: they are in clear, and sealing
-- them needs the key that only each respondent's browser can derive. Those respondents find their
-- draft gone and start again from the survey's landing page (their access code is still unused).
-- Deleting them under secure_delete (set by the store on every connection) overwrites their bytes.
DROP TABLE drafts;

CREATE TABLE drafts (
    token_hash TEXT PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys(id),
    expires_on TEXT NOT NULL,  -- a date (the day after the survey closes), not a time of answering
    sealed     BLOB NOT NULL   -- nonce (24 bytes) followed by the secretbox of the draft's JSON
) WITHOUT ROWID;

CREATE INDEX drafts_by_survey ON drafts (survey_id);
