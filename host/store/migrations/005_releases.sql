-- Releases: the only form in which leaders, school leaders and network staff read a survey's
-- results (docs/architecture.md, "Reading results"). A release is an immutable, numbered snapshot:
-- no code path updates or deletes a row of this table, nor changes a response's release_number
-- once set.
--
-- published_on is a date (YYYY-MM-DD), never a time of day. kind is 'interim' (published by a
-- leader or `mindset release publish`) or 'final' (published once the survey has closed; at most
-- one per survey). responses is the release's population: every response of the survey whose
-- release_number is at most this release's number. suppression_pattern and audit_report are the
-- JSON the disclosure audit produced when the release was published; re-reading the release
-- applies the stored pattern instead of auditing again. profile_sha256 is the SHA-256 of the
-- profile JSON as published, so that a re-read can tell when the figures would no longer match
-- (an instrument's scoring changed, say) instead of silently showing other numbers.
CREATE TABLE releases (
    survey_id           INTEGER NOT NULL REFERENCES surveys(id),
    number              INTEGER NOT NULL CHECK (number >= 1),
    published_on        TEXT NOT NULL CHECK (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind                TEXT NOT NULL CHECK (kind IN ('interim', 'final')),
    responses           INTEGER NOT NULL CHECK (responses >= 0),
    suppression_pattern TEXT NOT NULL,
    audit_report        TEXT NOT NULL,
    profile_sha256      TEXT NOT NULL,
    PRIMARY KEY (survey_id, number)
) WITHOUT ROWID;
CREATE UNIQUE INDEX releases_one_final ON releases (survey_id) WHERE kind = 'final';

-- The release a response first appeared in; NULL until the survey's next release. This is the
-- only thing the store records about when a response arrived, and it is as coarse as the releases
-- themselves: it says "between release N-1 and release N", never an exact time, which is what any
-- reader of two consecutive releases can tell anyway.
ALTER TABLE responses ADD COLUMN release_number INTEGER;
CREATE INDEX responses_by_release ON responses (survey_id, release_number);
