-- The instrument versions a release was computed with: a JSON object of "id@version" -> its
-- fingerprint (loader/Fingerprint.h: items, texts, keys, options, favorable rules, scoring) when
-- the release was published. A reader of a release can then tell which definition and scoring its
-- figures come from, and whether the instrument loaded today is still that one. '{}' for releases
-- published before this column existed: their fingerprints were not recorded.
ALTER TABLE releases ADD COLUMN instrument_fingerprints TEXT NOT NULL DEFAULT '{}';
