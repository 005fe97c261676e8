-- PostgreSQL twin of ../015_sso_accounts.sql: a single sign-on account's provider identity (`iss`
-- and `sub`), both set or both NULL, unique among accounts.
ALTER TABLE accounts ADD COLUMN sso_issuer TEXT;
ALTER TABLE accounts ADD COLUMN sso_subject TEXT CHECK ((sso_subject IS NULL) = (sso_issuer IS NULL));
CREATE UNIQUE INDEX accounts_by_sso_identity ON accounts (sso_issuer, sso_subject) WHERE sso_issuer IS NOT NULL;
