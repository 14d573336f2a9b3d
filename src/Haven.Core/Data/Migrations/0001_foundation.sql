-- Foundation: organisations, teams, staff accounts, people, access grants,
-- break-glass, tamper-evident audit chain and data-protection keys.

CREATE TABLE organisations (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    short_name text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    name text NOT NULL,
    manager_user_id uuid NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    team_id uuid NULL REFERENCES teams(id),
    email text NOT NULL,
    normalized_email text NOT NULL UNIQUE,
    display_name text NOT NULL,
    job_title text NULL,
    roles text[] NOT NULL,
    password_hash text NOT NULL,
    must_change_password boolean NOT NULL DEFAULT false,
    disabled_at timestamptz NULL,
    failed_sign_in_count integer NOT NULL DEFAULT 0,
    locked_until timestamptz NULL,
    totp_secret_protected text NULL,
    totp_last_step bigint NOT NULL DEFAULT 0,
    last_data_protection_training_on date NULL,
    security_stamp text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_signed_in_at timestamptz NULL,
    CONSTRAINT users_roles_not_empty CHECK (cardinality(roles) > 0)
);

ALTER TABLE teams ADD CONSTRAINT teams_manager_fk FOREIGN KEY (manager_user_id) REFERENCES users(id);

CREATE TABLE people (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    owning_team_id uuid NULL REFERENCES teams(id),
    given_name text NOT NULL,
    family_name text NOT NULL,
    date_of_birth date NULL,
    restricted boolean NOT NULL DEFAULT false,
    restriction_reason text NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per working relationship that lets a user open a person's record.
CREATE TABLE record_access_grants (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    user_id uuid NOT NULL REFERENCES users(id),
    basis text NOT NULL CHECK (basis IN ('allocated_worker', 'review_team', 'partner_contributor')),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NULL,
    granted_by_user_id uuid NULL REFERENCES users(id),
    reason text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX record_access_grants_user_person ON record_access_grants (user_id, person_id);

CREATE TABLE break_glass_events (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id),
    person_id uuid NOT NULL REFERENCES people(id),
    reason text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    manager_user_id uuid NULL REFERENCES users(id),
    reviewed_at timestamptz NULL,
    reviewed_by_user_id uuid NULL REFERENCES users(id),
    review_outcome text NULL
);
CREATE INDEX break_glass_events_user_person ON break_glass_events (user_id, person_id, expires_at);
CREATE INDEX break_glass_events_manager ON break_glass_events (manager_user_id, reviewed_at);

-- Tamper-evident audit log: each row's hash covers the previous row's hash and its own canonical content.
CREATE TABLE audit_events (
    seq bigint PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor_user_id uuid NULL,
    actor_role text NULL,
    action text NOT NULL,
    person_ids uuid[] NOT NULL DEFAULT '{}',
    purpose text NULL,
    client_address text NULL,
    request_id text NULL,
    details text NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX audit_events_person_ids ON audit_events USING gin (person_ids);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, occurred_at);

CREATE TABLE audit_head (
    id integer PRIMARY KEY CHECK (id = 1),
    last_seq bigint NOT NULL,
    last_hash text NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- New rows must continue the chain exactly; the head moves with them.
CREATE FUNCTION audit_events_check_append() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    head audit_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
    IF NEW.seq <> head.last_seq + 1 OR NEW.prev_hash <> head.last_hash THEN
        RAISE EXCEPTION 'audit chain append out of order (expected seq %)', head.last_seq + 1
            USING ERRCODE = 'serialization_failure';
    END IF;
    UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash WHERE id = 1;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_append BEFORE INSERT ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_check_append();

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or removed' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_head
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

CREATE TABLE data_protection_keys (
    id serial PRIMARY KEY,
    friendly_name text NOT NULL,
    xml text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Privileges for the application role: ordinary tables read/write, audit append-only.
DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        GRANT USAGE ON SCHEMA public TO "${app_role}";
        GRANT SELECT, INSERT, UPDATE, DELETE ON organisations, teams, users, people, record_access_grants,
            break_glass_events, data_protection_keys TO "${app_role}";
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${app_role}";
        GRANT SELECT, INSERT ON audit_events TO "${app_role}";
        GRANT SELECT ON audit_head, schema_migrations TO "${app_role}";
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_head FROM "${app_role}";
    END IF;
END
$grants$;
