-- People and case records, parts 2 to 4: relationships and households over time, involvements (referrals, plans,
-- looked after, adoption…), court orders and professionals, and education (schools, SEND, plans, attendance,
-- exclusions, achievements). Every fact records where the information came from (source).

-- "related_person_id is person_id's relationship_type".
CREATE TABLE relationships (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    person_id uuid NOT NULL REFERENCES people(id),
    related_person_id uuid NOT NULL REFERENCES people(id),
    relationship_type text NOT NULL CHECK (relationship_type IN
        ('mother', 'father', 'step_parent', 'sibling', 'half_sibling', 'grandparent', 'aunt_or_uncle', 'carer', 'foster_carer', 'other')),
    parental_responsibility boolean NOT NULL,
    started_on date NULL,
    ended_on date NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (person_id <> related_person_id),
    CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX relationships_person ON relationships (person_id);
CREATE INDEX relationships_related_person ON relationships (related_person_id);

CREATE TABLE households (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    label text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- lived_to is the last day the person lived in the household; NULL while they still live there.
CREATE TABLE household_members (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id),
    person_id uuid NOT NULL REFERENCES people(id),
    lived_from date NOT NULL,
    lived_to date NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (lived_to IS NULL OR lived_to >= lived_from)
);
CREATE INDEX household_members_household ON household_members (household_id, lived_from);
CREATE INDEX household_members_person ON household_members (person_id);

CREATE TABLE involvements (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    person_id uuid NOT NULL REFERENCES people(id),
    involvement_type text NOT NULL CHECK (involvement_type IN
        ('referral', 'early_help', 'child_in_need', 'child_protection', 'looked_after', 'police_protection', 'care_leaver', 'adoption', 'disability', 'youth_justice')),
    started_on date NOT NULL,
    ended_on date NULL,
    referral_source text NULL,
    category_of_abuse text NULL,
    legal_status text NULL,
    adoption_order_on date NULL,
    pre_birth boolean NOT NULL DEFAULT false,
    -- Free-text details, sealed with the organisation's data key (purpose "involvements.<type>").
    details_sealed bytea NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ended_on IS NULL OR ended_on >= started_on),
    CHECK (involvement_type <> 'referral' OR referral_source IS NOT NULL),
    CHECK (involvement_type <> 'child_protection' OR category_of_abuse IS NOT NULL),
    CHECK (involvement_type <> 'looked_after' OR legal_status IS NOT NULL),
    CHECK (NOT pre_birth OR involvement_type = 'child_protection')
);
CREATE INDEX involvements_person ON involvements (person_id, started_on);
CREATE INDEX involvements_type_open ON involvements (involvement_type) WHERE ended_on IS NULL;

CREATE TABLE court_orders (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    person_id uuid NOT NULL REFERENCES people(id),
    order_type text NOT NULL,
    court text NOT NULL,
    made_on date NOT NULL,
    ends_on date NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on IS NULL OR ends_on >= made_on)
);
CREATE INDEX court_orders_person ON court_orders (person_id);

CREATE TABLE professionals_involved (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    person_id uuid NOT NULL REFERENCES people(id),
    role text NOT NULL CHECK (role IN ('gp', 'school', 'health_visitor', 'police_officer', 'social_worker', 'other')),
    name text NOT NULL,
    professional_organisation text NULL,
    contact text NULL,
    involved_from date NULL,
    involved_to date NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (involved_to IS NULL OR involved_from IS NULL OR involved_to >= involved_from)
);
CREATE INDEX professionals_involved_person ON professionals_involved (person_id);

CREATE TABLE education_providers (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    provider_name text NOT NULL,
    urn text NULL CHECK (urn ~ '^[0-9]{6}$'),
    attended_from date NOT NULL,
    attended_to date NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (attended_to IS NULL OR attended_to >= attended_from)
);
CREATE INDEX education_providers_person ON education_providers (person_id);

CREATE TABLE send_provisions (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    provision text NOT NULL CHECK (provision IN ('E', 'K', 'N')),
    started_on date NOT NULL,
    ended_on date NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX send_provisions_person ON send_provisions (person_id);

CREATE TABLE education_plans (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    plan_type text NOT NULL CHECK (plan_type IN ('PEP', 'PSP')),
    started_on date NOT NULL,
    last_reviewed_on date NULL,
    next_review_on date NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (last_reviewed_on IS NULL OR last_reviewed_on >= started_on),
    CHECK (next_review_on IS NULL OR next_review_on >= started_on)
);
CREATE INDEX education_plans_person ON education_plans (person_id);

CREATE TABLE attendance_records (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    period_from date NOT NULL,
    period_to date NOT NULL,
    possible_sessions integer NOT NULL CHECK (possible_sessions > 0),
    attended_sessions integer NOT NULL CHECK (attended_sessions >= 0),
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (period_to >= period_from),
    CHECK (attended_sessions <= possible_sessions)
);
CREATE INDEX attendance_records_person ON attendance_records (person_id, period_from);

CREATE TABLE school_exclusions (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    exclusion_type text NOT NULL CHECK (exclusion_type IN ('suspension', 'permanent')),
    started_on date NOT NULL,
    days numeric(4, 1) NULL CHECK (days IS NULL OR days > 0),
    reason text NOT NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (exclusion_type <> 'suspension' OR days IS NOT NULL)
);
CREATE INDEX school_exclusions_person ON school_exclusions (person_id);

CREATE TABLE achievements (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people(id),
    achieved_on date NOT NULL,
    description text NOT NULL,
    source text NOT NULL,
    created_by_user_id uuid NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX achievements_person ON achievements (person_id);

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        GRANT SELECT, INSERT, UPDATE ON relationships, households, household_members, involvements, court_orders,
            professionals_involved, education_providers, send_provisions, education_plans, attendance_records,
            school_exclusions, achievements TO "${app_role}";
    END IF;
END
$grants$;
