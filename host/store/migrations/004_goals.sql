-- Goals a district sets for its survey results (docs/goals.md), and the record of every change to
-- them. Both are about what staff leaders decided, never about respondents: no table here refers
-- to responses, drafts, access codes or submissions, and none of those refers to these.

-- district_slug is districts.slug, not a foreign key, like accounts.district_slug: a goal belongs
-- to the district as named in its survey files. instrument_id has no version ("equity-excellence",
-- not "...@1.0.0"), so that a goal follows its scale across the years' surveys. measure is 'mean'
-- (the scale's mean, on the instrument's response scale), 'favorable' (% favorable, 0-100) or
-- 'gap' (the distance between a group and the rest of the district, in scale points, to be closed
-- to at most target_value). group_question and group_category name a demographic question and one
-- of its categories (analytics::Category ids), or are both NULL for the whole district; a gap
-- always has a group. School years are "YYYY-YYYY" like surveys.school_year; baseline_year NULL
-- means the first year with a figure. A removed goal keeps its row (is_removed = 1) so that the
-- change history below still shows what was removed.
CREATE TABLE goals (
    id             INTEGER PRIMARY KEY,
    district_slug  TEXT NOT NULL,
    instrument_id  TEXT NOT NULL,
    scale_id       TEXT NOT NULL,
    measure        TEXT NOT NULL CHECK (measure IN ('mean', 'favorable', 'gap')),
    group_question TEXT,
    group_category TEXT,
    target_value   REAL NOT NULL,
    target_year    TEXT NOT NULL,
    baseline_year  TEXT,
    is_removed     INTEGER NOT NULL DEFAULT 0 CHECK (is_removed IN (0, 1)),
    CHECK ((group_question IS NULL) = (group_category IS NULL)),
    CHECK (measure <> 'gap' OR group_question IS NOT NULL)
);
CREATE INDEX goals_by_district ON goals (district_slug, id);

-- One row per change, written in the same transaction as the change itself. username is copied
-- rather than referring to accounts(id), so the history outlives a deleted account. before_json
-- and after_json hold the goal as it was and as it became (NULL before a creation; after a removal
-- the goal as it stood when removed). changed_at is an exact UTC time ("2026-09-14T15:04:05Z"):
-- these are staff actions, not answers, so the rule that the store keeps no time of answering does
-- not apply; an audit trail needs to say when.
CREATE TABLE goal_changes (
    id            INTEGER PRIMARY KEY,
    goal_id       INTEGER NOT NULL REFERENCES goals(id),
    district_slug TEXT NOT NULL,
    username      TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('created', 'changed', 'removed')),
    before_json   TEXT,
    after_json    TEXT NOT NULL,
    changed_at    TEXT NOT NULL
);
CREATE INDEX goal_changes_by_district ON goal_changes (district_slug, id);
