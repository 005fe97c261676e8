-- Single sign-on (issue 14): leaders who sign in through the district's OpenID Connect provider
-- (docs/accounts.md#single-sign-on). Their sessions reference an account row like everyone's, so
-- the same scope checks and sign-out apply; the row is made or updated at each sign-in.
--
-- sso_issuer and sso_subject are the provider's `iss` and `sub` claims: the identity that stays
-- the same when a person's e-mail address changes. Both are set for a single sign-on account and
-- both NULL for a password account. A single sign-on account has password_hash '' (no password:
-- `/login` and `mindset users password` refuse it). Nothing here refers to responses.
ALTER TABLE accounts ADD COLUMN sso_issuer TEXT;
ALTER TABLE accounts ADD COLUMN sso_subject TEXT CHECK ((sso_subject IS NULL) = (sso_issuer IS NULL));
CREATE UNIQUE INDEX accounts_by_sso_identity ON accounts (sso_issuer, sso_subject) WHERE sso_issuer IS NOT NULL;
