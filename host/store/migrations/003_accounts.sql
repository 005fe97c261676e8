-- Staff accounts (the leaders who read profiles, use the API and download exports) and their
-- sign-in sessions. Respondents never have an account: no table here refers to responses, drafts,
-- access codes or submissions, and none of those refers to these.

-- password_hash is libsodium's crypto_pwhash_str output (Argon2id; the string carries its own
-- salt and cost parameters). district_slug is the account's scope: NULL means the whole network,
-- otherwise one district's slug (districts.slug). It is stored now and enforced from issue 5 on;
-- it is not a foreign key because an account may be made before its district's first survey is
-- loaded. created_on is a date, like everything else the store keeps about a day.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    district_slug TEXT,
    created_on    TEXT NOT NULL
);

-- One row per signed-in browser, under the SHA-256 of the random token in its cookie.
-- Unlike everything about respondents, expires_at is an exact time (unix seconds): a session
-- belongs to a staff account, not to anyone who answered a survey, so the rule that the store
-- keeps no time of answering does not apply to it. Deleting an account signs it out everywhere.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_account ON sessions (account_id);
