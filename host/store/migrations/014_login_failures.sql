-- Sign-in failures per username, kept in the database so that every host sharing it honours a lock
-- (issue 13: "a login lock on A applies on B"); auth::LoginThrottle decides the lock from the count.
--
-- A username is kept only as its SHA-256 (a password typed into the username field by mistake must
-- not be kept readable), with the time of the last failure in unix seconds and when the lock ends; a row is forgotten an hour after its last failure. Client
-- addresses are never stored: their counts stay in each process's memory. Nothing here refers to
-- responses, access codes or respondents.
CREATE TABLE login_failures (
    username_hash TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures > 0),
    last_failure INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_failures_by_last_failure ON login_failures (last_failure);
