-- The fingerprint of every instrument version a survey pins (loader/Fingerprint.h: its items,
-- texts, keys, options, favorable rules and scoring), recorded whenever the survey is saved while
-- it has no responses. Once it has responses, a survey whose instrument's fingerprint differs is
-- refused: a published version must never change what stored answers mean or how they score.
CREATE TABLE instrument_fingerprints (
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    instrument_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (survey_id, instrument_key)
) WITHOUT ROWID;
