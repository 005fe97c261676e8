-- PostgreSQL twin of ../014_login_failures.sql: sign-in failures per username, shared by every host
-- (usernames as their SHA-256, times in unix seconds; addresses are never stored).
CREATE TABLE login_failures (
    username_hash TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures > 0),
    last_failure BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX login_failures_by_last_failure ON login_failures (last_failure);
