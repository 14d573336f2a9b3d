-- Child Protection – Information Sharing (CP-IS): the responsible authority's contacts, the unscheduled-care settings
-- that may look children up (API clients), every lookup (which is also the responsible team's access notification),
-- and concerns sent back by clinicians. The list itself is not stored: it is read from involvements at lookup time,
-- so it is never out of date.

-- The name and phone numbers a clinician is given for a child on the list, one row per organisation.
CREATE TABLE cpis_authorities (
    organisation_id uuid PRIMARY KEY REFERENCES organisations(id),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    office_hours_phone text NOT NULL CHECK (length(office_hours_phone) BETWEEN 1 AND 40),
    emergency_duty_phone text NOT NULL CHECK (length(emergency_duty_phone) BETWEEN 1 AND 40),
    updated_at timestamptz NOT NULL,
    updated_by_user_id uuid NULL REFERENCES users(id)
);

-- An unscheduled-care setting with its own credential. Only a SHA-256 hash of the 256-bit secret is kept.
CREATE TABLE cpis_clients (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    setting_type text NOT NULL CHECK (setting_type IN
        ('emergency_department', 'out_of_hours_gp', 'walk_in_centre', 'minor_injury_unit', 'paediatric_ward', 'ambulance_service', 'maternity_unit')),
    ods_code text NOT NULL CHECK (ods_code ~ '^[A-Z0-9]{3,10}$'),
    scopes text[] NOT NULL,
    rate_limit_per_minute integer NOT NULL CHECK (rate_limit_per_minute BETWEEN 1 AND 1000000),
    secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
    created_at timestamptz NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    revoked_at timestamptz NULL,
    revoked_by_user_id uuid NULL REFERENCES users(id)
);

-- One row per lookup and listed person found (one row with no person when the number is not on the list). Rows with
-- a person are the responsible team's access notifications and the "recent accesses" shown to the next clinician.
CREATE TABLE cpis_accesses (
    id uuid PRIMARY KEY,
    lookup_id uuid NOT NULL,
    occurred_at timestamptz NOT NULL,
    client_id uuid NOT NULL REFERENCES cpis_clients(id),
    person_id uuid NULL REFERENCES people(id),
    clinician_role text NULL CHECK (length(clinician_role) <= 100),
    read_at timestamptz NULL,
    read_by_user_id uuid NULL REFERENCES users(id)
);
CREATE INDEX cpis_accesses_person ON cpis_accesses (person_id, occurred_at DESC) WHERE person_id IS NOT NULL;
CREATE INDEX cpis_accesses_lookup ON cpis_accesses (lookup_id);

-- A concern a clinician sends back to the responsible team about a child they looked up.
CREATE TABLE cpis_concerns (
    id uuid PRIMARY KEY,
    lookup_id uuid NOT NULL,
    person_id uuid NOT NULL REFERENCES people(id),
    client_id uuid NOT NULL REFERENCES cpis_clients(id),
    clinician_role text NULL CHECK (length(clinician_role) <= 100),
    concern text NOT NULL CHECK (length(concern) BETWEEN 1 AND 4000),
    created_at timestamptz NOT NULL,
    read_at timestamptz NULL,
    read_by_user_id uuid NULL REFERENCES users(id)
);
CREATE INDEX cpis_concerns_person ON cpis_concerns (person_id, created_at DESC);

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        GRANT SELECT, INSERT, UPDATE ON cpis_authorities, cpis_clients, cpis_accesses, cpis_concerns TO "${app_role}";
        -- Person-linked rows go with an erased or disposed record.
        GRANT DELETE ON cpis_accesses, cpis_concerns TO "${app_role}";
    END IF;
END
$grants$;
