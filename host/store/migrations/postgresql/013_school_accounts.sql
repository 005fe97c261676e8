-- PostgreSQL twin of ../013_school_accounts.sql: an account may be scoped to one school of its
-- district (NULL for district and network accounts); a school account always names its district.
ALTER TABLE accounts ADD COLUMN school_slug TEXT CHECK (school_slug IS NULL OR district_slug IS NOT NULL);
