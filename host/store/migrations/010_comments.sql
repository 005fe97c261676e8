-- Comments: what respondents wrote in a survey's open-ended questions (issue 12; docs/privacy.md, R10).
--
-- Kept apart from `responses`, with nothing that links a comment to the response it came with:
-- no response id, no time, no demographic answer but the one group it may be shown under. The row
-- is written in the same transaction as its response (exactly once, with it) and the write-ahead
-- log is truncated after that commit, so the log does not keep the two pages side by side.
--
-- id            random (63 bits from libsodium): row order says nothing about the order of
--               submission, and leaders read comments in id order, which is therefore a shuffle
-- question_id   the survey file's comment question id
-- group_key     the school's choice id, 'no-answer', or '' for a survey without a school question:
--               never role, race/ethnicity or any other answer
-- text          as typed, tidied, with e-mail, telephone and web addresses masked
-- release_number NULL until the survey's next release, then that release's number: as coarse as
--               the releases themselves, like responses.release_number
CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    survey_id      INTEGER NOT NULL REFERENCES surveys(id),
    question_id    TEXT NOT NULL,
    group_key      TEXT NOT NULL,
    text           TEXT NOT NULL,
    release_number INTEGER CHECK (release_number IS NULL OR release_number >= 1)
);
CREATE INDEX comments_by_survey ON comments (survey_id, release_number);
