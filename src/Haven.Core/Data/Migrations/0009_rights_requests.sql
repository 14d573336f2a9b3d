-- Information rights requests (UK GDPR Art. 12-22): intake, identity and authority checks, the statutory clock with
-- its pauses and extension, the subjects found in Haven, the access-request review (redactions, exemptions, sign-off,
-- bundles), decisions on the other rights, restriction of processing and consent.

CREATE TABLE rights_requests (
    id uuid PRIMARY KEY,
    reference text NOT NULL UNIQUE,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    channel text NOT NULL CHECK (channel IN ('online', 'post', 'email', 'phone', 'in_person')),
    received_on date NOT NULL,
    rights text[] NOT NULL CHECK (cardinality(rights) > 0),
    requester_name text NOT NULL,
    requester_email text NULL,
    requester_phone text NULL,
    requester_address text NULL,
    relationship text NOT NULL CHECK (relationship IN ('self', 'parent', 'representative', 'child')),
    subject_name text NOT NULL,
    subject_other_names text NULL,
    subject_date_of_birth date NULL,
    subject_address text NULL,
    details text NULL,
    status text NOT NULL CHECK (status IN ('open', 'paused', 'awaiting_sign_off', 'completed', 'refused', 'withdrawn')),
    identity_status text NOT NULL DEFAULT 'not_checked' CHECK (identity_status IN ('not_checked', 'verified', 'not_matched')),
    identity_method text NULL,
    identity_checked_by_user_id uuid NULL REFERENCES users(id),
    identity_checked_at timestamptz NULL,
    authority_status text NOT NULL CHECK (authority_status IN ('not_needed', 'not_checked', 'verified', 'refused')),
    authority_evidence text NULL,
    authority_checked_by_user_id uuid NULL REFERENCES users(id),
    authority_checked_at timestamptz NULL,
    extension_months integer NOT NULL DEFAULT 0 CHECK (extension_months BETWEEN 0 AND 2),
    extension_reason text NULL,
    extension_told_on date NULL,
    assigned_user_id uuid NULL REFERENCES users(id),
    closed_on date NULL,
    outcome text NULL,
    status_code_hash bytea NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL,
    last_reminder text NULL,
    CHECK (extension_months = 0 OR (extension_reason IS NOT NULL AND extension_told_on IS NOT NULL)),
    CHECK ((status IN ('completed', 'refused', 'withdrawn')) = (closed_on IS NOT NULL))
);
CREATE INDEX rights_requests_open ON rights_requests (organisation_id, received_on) WHERE closed_on IS NULL;
CREATE INDEX rights_requests_closed ON rights_requests (closed_on) WHERE closed_on IS NOT NULL;

-- Haven records the request is about, matched by staff. A request about someone Haven does not hold has none.
CREATE TABLE rights_request_subjects (
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    person_id uuid NOT NULL REFERENCES people(id),
    matched_by_user_id uuid NULL REFERENCES users(id),
    matched_at timestamptz NOT NULL
);
CREATE INDEX rights_request_subjects_request ON rights_request_subjects (request_id);
CREATE INDEX rights_request_subjects_person ON rights_request_subjects (person_id);

-- The clock stops while Haven waits for identity, authority or clarification (Art. 12A) and starts again when it arrives.
CREATE TABLE rights_request_pauses (
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    reason text NOT NULL CHECK (reason IN ('identity', 'authority', 'clarification')),
    note text NULL,
    paused_on date NOT NULL,
    resumed_on date NULL,
    paused_by_user_id uuid NULL REFERENCES users(id),
    CHECK (resumed_on IS NULL OR resumed_on >= paused_on)
);
CREATE UNIQUE INDEX rights_request_pauses_one_open ON rights_request_pauses (request_id) WHERE resumed_on IS NULL;

-- The request's own history, shown to staff (every step is also in the audit chain).
CREATE TABLE rights_request_events (
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    at timestamptz NOT NULL,
    user_id uuid NULL REFERENCES users(id),
    kind text NOT NULL,
    text text NOT NULL
);
CREATE INDEX rights_request_events_request ON rights_request_events (request_id, at);

-- Access-request review: a term redacted wherever it appears (third-party names and identifiers), or an item withheld
-- with its exemption and reason.
CREATE TABLE rights_request_redactions (
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('term', 'item')),
    term text NULL,
    item_key text NULL,
    ground text NOT NULL,
    reason text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL,
    CHECK ((kind = 'term') = (term IS NOT NULL)),
    CHECK ((kind = 'item') = (item_key IS NOT NULL))
);
CREATE INDEX rights_request_redactions_request ON rights_request_redactions (request_id);

-- A disclosure bundle prepared by one person and signed off by another. The files are the exact bytes sent.
CREATE TABLE rights_request_bundles (
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('awaiting_sign_off', 'signed_off', 'returned')),
    prepared_by_user_id uuid NOT NULL REFERENCES users(id),
    prepared_at timestamptz NOT NULL,
    signed_off_by_user_id uuid NULL REFERENCES users(id),
    signed_off_at timestamptz NULL,
    returned_reason text NULL,
    entry_count integer NOT NULL,
    redaction_count integer NOT NULL,
    withheld_count integer NOT NULL,
    pdf bytea NOT NULL,
    letter_pdf bytea NOT NULL,
    json bytea NOT NULL,
    csv bytea NOT NULL,
    sha256 text NOT NULL,
    CHECK (status <> 'signed_off' OR (signed_off_by_user_id IS NOT NULL AND signed_off_by_user_id <> prepared_by_user_id))
);
CREATE INDEX rights_request_bundles_request ON rights_request_bundles (request_id, prepared_at DESC);

-- Decisions on the rights asked for: granted, partly granted or refused, with the lawful ground and reason.
CREATE TABLE rights_request_decisions (
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    right_code text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('granted', 'partly', 'refused')),
    ground text NULL,
    reason text NOT NULL,
    details jsonb NULL,
    decided_by_user_id uuid NULL REFERENCES users(id),
    decided_at timestamptz NOT NULL
);
CREATE INDEX rights_request_decisions_request ON rights_request_decisions (request_id);

-- Restriction of processing (Art. 18): while restricted, only the Data Protection Officer may read the record,
-- nothing may be added or changed, and it is not shared. The subject is told before the restriction is lifted.
ALTER TABLE people ADD COLUMN processing_restricted boolean NOT NULL DEFAULT false;

CREATE TABLE processing_restrictions (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    request_id uuid NULL REFERENCES rights_requests(id) ON DELETE SET NULL,
    reason text NOT NULL,
    started_at timestamptz NOT NULL,
    started_by_user_id uuid NULL REFERENCES users(id),
    subject_told_on date NULL,
    subject_told_how text NULL,
    lifted_at timestamptz NULL,
    lifted_by_user_id uuid NULL REFERENCES users(id),
    lift_reason text NULL,
    CHECK (lifted_at IS NULL OR subject_told_on IS NOT NULL)
);
CREATE UNIQUE INDEX processing_restrictions_one_active ON processing_restrictions (person_id) WHERE lifted_at IS NULL;
-- Every restriction of a person, including lifted ones: destroying a person's record checks this key.
CREATE INDEX processing_restrictions_person ON processing_restrictions (person_id);

-- Consent a person gave for processing that relies on it (for example sending data overseas), and its withdrawal.
CREATE TABLE person_consents (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    service_code text NOT NULL,
    purpose text NOT NULL,
    given_on date NOT NULL,
    recorded_by_user_id uuid NULL REFERENCES users(id),
    withdrawn_on date NULL,
    withdrawn_request_id uuid NULL REFERENCES rights_requests(id) ON DELETE SET NULL,
    CHECK (withdrawn_on IS NULL OR withdrawn_on >= given_on)
);
CREATE INDEX person_consents_person ON person_consents (person_id);

-- A statement by the subject that they dispute the accuracy of their record, shown with it (rectification refused).
CREATE TABLE record_statements (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    request_id uuid NULL REFERENCES rights_requests(id) ON DELETE SET NULL,
    text text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id)
);
CREATE INDEX record_statements_person ON record_statements (person_id);

-- Letters and emails Haven sends (acknowledgements, extension notices, rectification notices, reminders). A sender
-- delivers them; the row records what was sent to whom and when.
CREATE TABLE outbound_messages (
    id uuid PRIMARY KEY,
    request_id uuid NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    kind text NOT NULL,
    recipient text NOT NULL,
    address text NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at timestamptz NULL,
    error text NULL
);
CREATE INDEX outbound_messages_unsent ON outbound_messages (created_at) WHERE sent_at IS NULL;
CREATE INDEX outbound_messages_request ON outbound_messages (request_id);

-- What was disclosed to whom, when, why and on what basis. Rectification notices go to every recipient in it.
CREATE TABLE disclosures (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    person_id uuid NOT NULL REFERENCES people(id),
    recipient_code text NOT NULL,
    recipient_name text NOT NULL,
    recipient_address text NULL,
    service_code text NOT NULL,
    activity_code text NOT NULL,
    purpose text NOT NULL,
    lawful_basis text NOT NULL,
    categories text[] NOT NULL,
    summary text NOT NULL,
    disclosed_on date NOT NULL,
    recorded_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL
);
CREATE INDEX disclosures_person ON disclosures (person_id, disclosed_on DESC);

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        GRANT SELECT, INSERT, UPDATE ON rights_requests, rights_request_subjects, rights_request_pauses, rights_request_events,
            rights_request_redactions, rights_request_bundles, rights_request_decisions, processing_restrictions, person_consents,
            record_statements, outbound_messages, disclosures TO "${app_role}";
        -- A redaction can be taken back during review; a wrongly matched subject can be unlinked; closed requests are
        -- destroyed by their own retention rule; person-linked rows go with an erased or disposed record.
        GRANT DELETE ON rights_requests, rights_request_subjects, rights_request_redactions, processing_restrictions, person_consents,
            record_statements, disclosures TO "${app_role}";
    END IF;
END
$grants$;
