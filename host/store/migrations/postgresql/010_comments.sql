-- PostgreSQL twin of ../010_comments.sql: comments apart from responses, under random ids.
CREATE TABLE comments (
    id             BIGINT PRIMARY KEY,
    survey_id      BIGINT NOT NULL REFERENCES surveys(id),
    question_id    TEXT NOT NULL,
    group_key      TEXT NOT NULL,
    text           TEXT NOT NULL,
    release_number INTEGER CHECK (release_number IS NULL OR release_number >= 1)
);
CREATE INDEX comments_by_survey ON comments (survey_id, release_number);
