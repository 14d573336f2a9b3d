-- Indexes the retention engine's disposals need (measured with bench/run.sh retention).
--
-- Deleting a person makes PostgreSQL check every foreign key that points at people: for each deleted row it looks
-- for rows still referring to it. Without an index on the referring column, each of those checks reads the whole
-- table, so a disposal read the million-row people table twice (mother_id, merged_into_id) and the access grants
-- once for every record destroyed. The engine's own statements look rows up by the same columns, and by the people
-- named in case-note participants.

-- Foreign keys to people with no index led by the column.
CREATE INDEX people_mother ON people (mother_id) WHERE mother_id IS NOT NULL;
CREATE INDEX people_merged_into ON people (merged_into_id) WHERE merged_into_id IS NOT NULL;
CREATE INDEX person_merges_duplicate ON person_merges (duplicate_id);
CREATE INDEX record_access_grants_person ON record_access_grants (person_id);
CREATE INDEX break_glass_events_person ON break_glass_events (person_id);

-- "participant_person_ids && @ids": the people whose place in other people's case notes is removed.
CREATE INDEX case_notes_participants ON case_notes USING gin (participant_person_ids);
