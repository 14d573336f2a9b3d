-- Retention and disposal: legal holds, review decisions, runs, disposal certificates and the job table that lets
-- several Haven instances share background work (claimed with FOR UPDATE SKIP LOCKED).

CREATE TABLE legal_holds (
    id uuid PRIMARY KEY,
    organisation_id uuid NULL REFERENCES organisations(id),
    scope text NOT NULL CHECK (scope IN ('person', 'case', 'record_type', 'organisation', 'criterion')),
    person_id uuid NULL REFERENCES people(id),
    record_type text NULL,
    criterion text NULL,
    reason text NOT NULL CHECK (length(reason) BETWEEN 10 AND 2000),
    authority text NOT NULL CHECK (length(authority) BETWEEN 2 AND 500),
    starts_on date NOT NULL,
    ends_on date NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL,
    released_by_user_id uuid NULL REFERENCES users(id),
    released_at timestamptz NULL,
    release_reason text NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CHECK (scope NOT IN ('person', 'case') OR person_id IS NOT NULL),
    CHECK (scope <> 'record_type' OR record_type IS NOT NULL),
    CHECK (scope <> 'organisation' OR organisation_id IS NOT NULL),
    CHECK (scope <> 'criterion' OR criterion IS NOT NULL)
);
CREATE INDEX legal_holds_person ON legal_holds (person_id) WHERE person_id IS NOT NULL;

CREATE TABLE retention_runs (
    id uuid PRIMARY KEY,
    as_of date NOT NULL,
    dry_run boolean NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NULL,
    started_by text NOT NULL,
    evaluated integer NOT NULL DEFAULT 0,
    due integer NOT NULL DEFAULT 0,
    held integer NOT NULL DEFAULT 0,
    reviews_queued integer NOT NULL DEFAULT 0,
    destroyed integer NOT NULL DEFAULT 0,
    anonymised integer NOT NULL DEFAULT 0,
    error text NULL
);

-- A person's record due under a rule whose action is review: a person decides to dispose or to keep it longer.
CREATE TABLE retention_reviews (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    rule_code text NOT NULL,
    record_type text NOT NULL,
    due_on date NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'approved', 'extended')),
    queued_by_run_id uuid NULL REFERENCES retention_runs(id),
    created_at timestamptz NOT NULL,
    decided_by_user_id uuid NULL REFERENCES users(id),
    decided_at timestamptz NULL,
    reason text NULL,
    keep_until date NULL,
    CHECK (status <> 'extended' OR (keep_until IS NOT NULL AND reason IS NOT NULL))
);
CREATE UNIQUE INDEX retention_reviews_one_pending ON retention_reviews (person_id) WHERE status = 'pending';
CREATE INDEX retention_reviews_person ON retention_reviews (person_id, decided_at DESC);

-- Proof of disposal without personal data: how many records of which type went under which rule, in which run.
-- Counts only grow (a run that is interrupted and finished by the next run adds to its own rows).
CREATE TABLE disposal_certificates (
    id uuid PRIMARY KEY,
    run_id uuid NOT NULL REFERENCES retention_runs(id),
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    record_type text NOT NULL,
    rule_code text NOT NULL,
    legal_source text NULL,
    action text NOT NULL CHECK (action IN ('destroy', 'anonymise')),
    disposed_on date NOT NULL,
    count integer NOT NULL,
    UNIQUE (run_id, organisation_id, record_type, rule_code, action)
);

ALTER TABLE people ADD COLUMN anonymised_at timestamptz NULL;

CREATE TABLE jobs (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    run_after timestamptz NOT NULL,
    locked_by text NULL,
    locked_until timestamptz NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_error text NULL,
    finished_at timestamptz NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due ON jobs (run_after) WHERE finished_at IS NULL;

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        GRANT SELECT, INSERT, UPDATE ON legal_holds, retention_runs, retention_reviews, jobs TO "${app_role}";
        -- Certificates are proof: the application adds to them and reads them, never changes or removes them.
        GRANT SELECT, INSERT, UPDATE ON disposal_certificates TO "${app_role}";
        -- Disposal: the retention engine removes a due record and everything derived from it. No page or API
        -- deletes person data; Haven's code does so only through RetentionEngine, after the legal-hold check.
        GRANT DELETE ON people, addresses, person_names, record_access_grants, break_glass_events, case_notes, case_worries,
            case_plans, case_services, case_offences, case_documents, relationships, household_members, households,
            professionals_involved, involvements, court_orders, education_providers, send_provisions, education_plans,
            attendance_records, school_exclusions, achievements, person_merges, person_merge_moves, retention_reviews,
            legal_holds TO "${app_role}";
    END IF;
END
$grants$;
