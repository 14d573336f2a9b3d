-- Rectification (UK GDPR Art. 16): what the subject says is wrong in their record, what it says now and what it
-- should say, and what was decided. A correction goes through the record's own pages (or, for name, date of birth
-- and contact details, is applied directly); the people the data was shared with are told (Art. 19).
CREATE TABLE rectification_items (
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    person_id uuid NOT NULL REFERENCES people(id),
    field text NOT NULL CHECK (field IN ('given_name', 'family_name', 'date_of_birth', 'phone', 'email', 'other')),
    information text NOT NULL,
    current_value text NULL,
    proposed_value text NOT NULL,
    status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'corrected', 'refused')),
    applied boolean NOT NULL DEFAULT false,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL,
    decided_by_user_id uuid NULL REFERENCES users(id),
    decided_at timestamptz NULL,
    CHECK ((status = 'proposed') = (decided_at IS NULL))
);
CREATE INDEX rectification_items_request ON rectification_items (request_id);
CREATE INDEX rectification_items_person ON rectification_items (person_id);

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        -- Items go with an erased or disposed record (PersonLinks) and with their request.
        GRANT SELECT, INSERT, UPDATE, DELETE ON rectification_items TO "${app_role}";
    END IF;
END
$grants$;
