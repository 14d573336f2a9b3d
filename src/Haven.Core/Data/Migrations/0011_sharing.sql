-- Information sharing: partner organisations, information-sharing agreements, and what the disclosure log needs to
-- say beyond what 0009 gave it (which partner, under which agreement, how it was sent, whether it was made through
-- Haven or recorded after the fact, and the country when it went overseas). Refused disclosures are not stored here:
-- the sharing check writes them to the audit log.
CREATE TABLE sharing_partners (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    name text NOT NULL,
    partner_type text NOT NULL CHECK (partner_type IN ('police', 'nhs-trust', 'gp-practice', 'school', 'other-council',
        'government-department', 'ofsted', 'court', 'voluntary-sector', 'other')),
    contact text NULL,
    address text NULL,
    email text NULL,
    phone text NULL,
    identifier text NULL,
    recipient_codes text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE sharing_agreements (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    title text NOT NULL,
    partner_ids uuid[] NOT NULL,
    -- "service/activity" codes from the organisation's privacy register.
    purposes text[] NOT NULL,
    categories text[] NOT NULL,
    lawful_basis text NOT NULL,
    starts_on date NOT NULL,
    review_on date NOT NULL,
    ends_on date NULL,
    status text NOT NULL CHECK (status IN ('draft', 'active', 'under-review', 'ended')),
    notes text NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK (review_on >= starts_on),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX sharing_agreements_organisation ON sharing_agreements (organisation_id);

ALTER TABLE disclosures
    ADD COLUMN partner_id uuid NULL REFERENCES sharing_partners(id),
    ADD COLUMN agreement_id uuid NULL REFERENCES sharing_agreements(id),
    ADD COLUMN method text NULL,
    ADD COLUMN made_through_haven boolean NOT NULL DEFAULT false,
    ADD COLUMN country text NULL;
CREATE INDEX disclosures_organisation ON disclosures (organisation_id, disclosed_on DESC);

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        -- Partners and agreements are changed, never deleted: an ended agreement stays as evidence for old disclosures.
        GRANT SELECT, INSERT, UPDATE ON sharing_partners, sharing_agreements TO "${app_role}";
    END IF;
END
$grants$;
