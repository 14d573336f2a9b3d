-- People and case records, part 1: the person record with identifiers, names and addresses,
-- per-organisation data keys for special-category values, and fuzzy search support.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- Each organisation's data keys, wrapped by the master key (which never enters the database).
CREATE TABLE organisation_data_keys (
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    version integer NOT NULL,
    wrapped_key bytea NOT NULL,
    master_key_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, version)
);

ALTER TABLE people
    ADD COLUMN person_type text NOT NULL DEFAULT 'child'
        CHECK (person_type IN ('child', 'unborn', 'adult', 'significant_other')),
    ADD COLUMN known_as text NULL,
    ADD COLUMN date_of_birth_estimated boolean NOT NULL DEFAULT false,
    ADD COLUMN expected_date_of_birth date NULL,
    ADD COLUMN mother_id uuid NULL REFERENCES people(id),
    ADD COLUMN date_of_death date NULL,
    ADD COLUMN gender text NULL,
    ADD COLUMN first_language text NULL,
    -- Special-category values: sealed with the organisation's data key (AES-256-GCM).
    ADD COLUMN ethnicity_sealed bytea NULL,
    ADD COLUMN religion_sealed bytea NULL,
    ADD COLUMN disability_sealed bytea NULL,
    ADD COLUMN sexual_orientation_sealed bytea NULL,
    ADD COLUMN nhs_number text NULL CHECK (nhs_number ~ '^[0-9]{10}$'),
    ADD COLUMN upn text NULL CHECK (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$'),
    ADD COLUMN phone text NULL,
    ADD COLUMN email text NULL,
    ADD COLUMN created_by_user_id uuid NULL REFERENCES users(id),
    ADD COLUMN updated_at timestamptz NULL,
    ADD CONSTRAINT people_death_after_birth CHECK (date_of_death IS NULL OR date_of_birth IS NULL OR date_of_death >= date_of_birth),
    ADD CONSTRAINT people_unborn_has_expected_date CHECK (person_type <> 'unborn' OR expected_date_of_birth IS NOT NULL);

CREATE INDEX people_family_name_trgm ON people USING gin (lower(family_name) gin_trgm_ops);
CREATE INDEX people_given_name_trgm ON people USING gin (lower(given_name) gin_trgm_ops);
CREATE INDEX people_family_name_sound ON people (dmetaphone(family_name));
CREATE INDEX people_given_name_sound ON people (dmetaphone(given_name));
CREATE INDEX people_given_name_lower ON people (lower(given_name));
CREATE INDEX people_date_of_birth ON people (date_of_birth);
CREATE INDEX people_nhs_number ON people (nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX people_upn ON people (upn) WHERE upn IS NOT NULL;

-- Previous names and names a person is known by.
CREATE TABLE person_names (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    kind text NOT NULL CHECK (kind IN ('previous', 'known_as', 'alias')),
    given_name text NOT NULL,
    family_name text NOT NULL,
    used_from date NULL,
    used_to date NULL,
    CHECK (used_to IS NULL OR used_from IS NULL OR used_to >= used_from)
);
CREATE INDEX person_names_person ON person_names (person_id);
CREATE INDEX person_names_family_trgm ON person_names USING gin (lower(family_name) gin_trgm_ops);

-- Address history: a person has at most one address without an end date.
CREATE TABLE addresses (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    line1 text NOT NULL,
    line2 text NULL,
    town text NULL,
    postcode text NOT NULL,
    lived_from date NULL,
    lived_to date NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (lived_to IS NULL OR lived_from IS NULL OR lived_to >= lived_from)
);
CREATE INDEX addresses_person ON addresses (person_id);
CREATE INDEX addresses_postcode ON addresses (replace(postcode, ' ', ''));

-- Merging two records of the same person: the duplicate stays (marked merged) and every row that pointed at it is
-- moved to the surviving record, each move written down so the merge can be undone.
ALTER TABLE people ADD COLUMN merged_into_id uuid NULL REFERENCES people(id);

CREATE TABLE person_merges (
    id uuid PRIMARY KEY,
    survivor_id uuid NOT NULL REFERENCES people(id),
    duplicate_id uuid NOT NULL REFERENCES people(id),
    merged_by_user_id uuid NOT NULL REFERENCES users(id),
    merged_at timestamptz NOT NULL,
    reason text NOT NULL,
    undone_by_user_id uuid NULL REFERENCES users(id),
    undone_at timestamptz NULL,
    CHECK (survivor_id <> duplicate_id)
);
CREATE INDEX person_merges_survivor ON person_merges (survivor_id);

CREATE TABLE person_merge_moves (
    merge_id uuid NOT NULL REFERENCES person_merges(id),
    table_name text NOT NULL,
    column_name text NOT NULL,
    row_id uuid NOT NULL,
    PRIMARY KEY (merge_id, table_name, column_name, row_id)
);

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON person_names, addresses TO "${app_role}";
        GRANT SELECT, INSERT, UPDATE ON person_merges, person_merge_moves TO "${app_role}";
        GRANT SELECT, INSERT, UPDATE ON organisation_data_keys TO "${app_role}";
    END IF;
END
$grants$;
