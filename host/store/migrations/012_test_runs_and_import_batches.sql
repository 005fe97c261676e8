-- A test run and undoable imports (issue 14).
--
-- Every `mindset import` is a batch, numbered per survey, so that `mindset import undo` can take
-- exactly its responses out again. A batch records its survey, the date of the import (not of any
-- answer) and how many rows it stored; nothing about the file or a person. A response carries the
-- batch it came in with (NULL for responses submitted on the web, and for imports made before this
-- migration, which therefore cannot be undone).
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    survey_id   INTEGER NOT NULL REFERENCES surveys(id),
    number      INTEGER NOT NULL,  -- 1, 2, ... per survey: what `mindset import list` shows
    imported_on TEXT NOT NULL,     -- YYYY-MM-DD
    row_count   INTEGER NOT NULL,
    UNIQUE (survey_id, number)
);
ALTER TABLE responses ADD COLUMN import_batch_id INTEGER REFERENCES import_batches(id);

-- Test responses live in their own table, so that no statement over `responses` (releases,
-- participation, the "responses exist" lock on a survey's questions) can ever count one. Like a
-- response, a row has no time, person, code or network column; its id is random.
CREATE TABLE test_responses (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys(id),
    demographics BLOB NOT NULL,
    answers      BLOB NOT NULL
);
CREATE INDEX test_responses_by_survey ON test_responses (survey_id);

-- The one test link of a survey: only the SHA-256 of its secret token (`mindset survey test-link`
-- prints the token once; a new link replaces the old one).
CREATE TABLE test_links (
    survey_id  INTEGER PRIMARY KEY REFERENCES surveys(id),
    token_hash TEXT NOT NULL UNIQUE
) WITHOUT ROWID;
