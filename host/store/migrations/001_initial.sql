-- Districts, their schools, the surveys fielded to them, and anonymous responses.
CREATE TABLE districts (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE schools (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts(id),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    UNIQUE (district_id, slug)
);

-- The definition is kept as loaded, so stored answers stay readable if the file later changes.
-- answer_layout names what each byte of responses.answers and each slot of
-- responses.demographics means; it may not change once responses exist.
CREATE TABLE surveys (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    district_id   INTEGER NOT NULL REFERENCES districts(id),
    school_year   TEXT NOT NULL,
    definition    TEXT NOT NULL,
    answer_layout TEXT NOT NULL
);

-- One row per response, deliberately without any time, person, code or network column.
-- id is random (not a sequence), so row order says nothing about who answered when.
-- demographics: one little-endian uint32 per demographic question of the survey (0 = no answer;
--   single choice: option index + 1; multiple choice: bit i set for option i).
-- answers: one byte per item of the survey's instruments in layout order (0 = not answered,
--   otherwise the instrument's response code).
CREATE TABLE responses (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys(id),
    demographics BLOB NOT NULL,
    answers      BLOB NOT NULL
);
CREATE INDEX responses_by_survey ON responses (survey_id);
