-- School leaders (issue 11): an account may be scoped to one school of its district.
--
-- school_slug is the school's id in the district's survey files ("schools": [{"id": ...}]), NULL for
-- district and network accounts. A school account always names its district too, so every rule that
-- reads district_slug still holds for it. Like district_slug it is not a foreign key: an account may
-- be made before the surveys that name its school are loaded (`mindset users add` checks the id
-- against the survey files and the surveys stored). Nothing here refers to responses.
ALTER TABLE accounts ADD COLUMN school_slug TEXT CHECK (school_slug IS NULL OR district_slug IS NOT NULL);
