-- Code handouts as they are really handed out (issue 14): every `mindset codes issue` is a batch
-- (one printed sheet), numbered per survey, so that a lost sheet can be cancelled as a whole with
-- `mindset codes void --batch N`; and a code can be voided, after which the survey refuses it and
-- response rates no longer count it among the codes handed out.
--
-- Neither links a response to a code: a batch records its survey, school, size and the date it was
-- issued (the date of printing, not of any answer); is_voided is set only on unused codes.

CREATE TABLE access_code_batches (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    number    INTEGER NOT NULL,  -- 1, 2, ... per survey: the number printed on the sheet
    school_id INTEGER NOT NULL REFERENCES schools(id),
    issued_on TEXT,              -- YYYY-MM-DD; NULL for codes issued before this migration
    UNIQUE (survey_id, number)
);

ALTER TABLE access_codes ADD COLUMN batch_id INTEGER REFERENCES access_code_batches(id);
ALTER TABLE access_codes ADD COLUMN is_voided INTEGER NOT NULL DEFAULT 0;

-- Codes issued before batches were kept: one batch per survey and school, numbered in school order.
INSERT INTO access_code_batches (survey_id, number, school_id)
SELECT survey_id, ROW_NUMBER() OVER (PARTITION BY survey_id ORDER BY school_id), school_id
FROM (SELECT DISTINCT survey_id, school_id FROM access_codes);

UPDATE access_codes SET batch_id = (
    SELECT b.id FROM access_code_batches b WHERE b.survey_id = access_codes.survey_id AND b.school_id = access_codes.school_id);
