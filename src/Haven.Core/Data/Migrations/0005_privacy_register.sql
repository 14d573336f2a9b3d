-- Privacy register: each import or edit of an organisation's register is a new, immutable version with who, when
-- and why. Notices are rendered from the version in force on a date; enforcement reads the version in force today.

CREATE TABLE register_versions (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    version integer NOT NULL,
    effective_from date NOT NULL,
    file_name text NOT NULL,
    source text NOT NULL,
    document jsonb NOT NULL,
    changed_by_user_id uuid NULL REFERENCES users(id),
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL,
    reason text NOT NULL,
    UNIQUE (organisation_id, version)
);
CREATE INDEX register_versions_in_force ON register_versions (organisation_id, effective_from DESC, version DESC);

-- The service of the organisation's register that a team's work falls under.
ALTER TABLE teams ADD COLUMN service_code text NULL;

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        -- Versions are history: the application may add them and read them, never change or remove them.
        GRANT SELECT, INSERT ON register_versions TO "${app_role}";
    END IF;
END
$grants$;
