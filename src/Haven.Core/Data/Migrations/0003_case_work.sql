-- People and case records, part 5: case work. Case notes and contacts, worries / what is working well / next steps,
-- assessments and plans, services and events, offences and proceedings (criminal-offence data, sealed with the
-- organisation's data key), and documents and photos (content sealed with the organisation's data key).
-- Every entry records the source of the information.

CREATE TABLE case_notes (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    contact_type text NOT NULL CHECK (contact_type IN ('visit', 'phone_call', 'letter', 'email', 'meeting')),
    contact_date date NOT NULL,
    contact_time time NULL,
    participants text NULL,
    participant_person_ids uuid[] NOT NULL DEFAULT '{}',
    text text NOT NULL CHECK (length(text) <= 20000),
    source text NOT NULL CHECK (source IN ('family', 'carer', 'gp', 'police', 'school', 'health_visitor', 'other_agency', 'child')),
    created_by_user_id uuid NOT NULL REFERENCES users(id),
    created_at timestamptz NOT NULL
);
CREATE INDEX case_notes_person ON case_notes (person_id, contact_date DESC);

CREATE TABLE case_worries (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    kind text NOT NULL CHECK (kind IN ('worry', 'working_well', 'next_step')),
    text text NOT NULL,
    recorded_on date NOT NULL,
    source text NOT NULL CHECK (source IN ('family', 'carer', 'gp', 'police', 'school', 'health_visitor', 'other_agency', 'child')),
    created_by_user_id uuid NOT NULL REFERENCES users(id),
    created_at timestamptz NOT NULL
);
CREATE INDEX case_worries_person ON case_worries (person_id);

CREATE TABLE case_plans (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    plan_type text NOT NULL,
    started_on date NOT NULL,
    completed_on date NULL,
    review_on date NULL,
    outcome text NULL,
    source text NOT NULL CHECK (source IN ('family', 'carer', 'gp', 'police', 'school', 'health_visitor', 'other_agency', 'child')),
    created_by_user_id uuid NOT NULL REFERENCES users(id),
    created_at timestamptz NOT NULL,
    CHECK (completed_on IS NULL OR completed_on >= started_on),
    CHECK (review_on IS NULL OR review_on > started_on)
);
CREATE INDEX case_plans_person ON case_plans (person_id);

CREATE TABLE case_services (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    name text NOT NULL,
    provider text NULL,
    from_date date NOT NULL,
    to_date date NULL,
    source text NOT NULL CHECK (source IN ('family', 'carer', 'gp', 'police', 'school', 'health_visitor', 'other_agency', 'child')),
    created_by_user_id uuid NOT NULL REFERENCES users(id),
    created_at timestamptz NOT NULL,
    CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX case_services_person ON case_services (person_id);

-- Criminal-offence data (UK GDPR Art. 10): every value is sealed, so a database dump shows none of them.
CREATE TABLE case_offences (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    description_sealed bytea NOT NULL,
    status_sealed bytea NOT NULL,
    offence_date_sealed bytea NULL,
    proceedings_sealed bytea NULL,
    source text NOT NULL CHECK (source IN ('family', 'carer', 'gp', 'police', 'school', 'health_visitor', 'other_agency', 'child')),
    created_by_user_id uuid NOT NULL REFERENCES users(id),
    created_at timestamptz NOT NULL
);
CREATE INDEX case_offences_person ON case_offences (person_id);

-- Documents and photos: the bytes are sealed; the type is what the content was found to be, not what the name said.
CREATE TABLE case_documents (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    title text NULL,
    file_name text NOT NULL,
    content_type text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('pdf', 'png', 'jpeg', 'gif', 'text', 'docx', 'odt')),
    size_bytes bigint NOT NULL CHECK (size_bytes > 0),
    content_sealed bytea NOT NULL,
    source text NOT NULL CHECK (source IN ('family', 'carer', 'gp', 'police', 'school', 'health_visitor', 'other_agency', 'child')),
    created_by_user_id uuid NOT NULL REFERENCES users(id),
    created_at timestamptz NOT NULL
);
CREATE INDEX case_documents_person ON case_documents (person_id);
-- Document bytes are already encrypted and do not compress: keep them out of line, uncompressed.
ALTER TABLE case_documents ALTER COLUMN content_sealed SET STORAGE EXTERNAL;

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON case_notes, case_worries, case_plans, case_services, case_offences, case_documents TO "${app_role}";
    END IF;
END
$grants$;
