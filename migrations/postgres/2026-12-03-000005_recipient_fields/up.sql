-- 受取人情報: what the booking form asks of each person, per municipality. The three built-in
-- fields (kind name, kana, phone; labels from the page's language files) have at most one
-- row each: asked or not (active) and how (requirement: optional, required, or first = the
-- first person only, for the phone number we call). A tenant without a row for one of them
-- asks it as before (name and kana required, phone for the first person). Up to five
-- fields of the municipality's own (text, number, choice, yes_no) follow, in position
-- order, with their Japanese and (optional) English label, help text and choices
-- (a JSON list of {"ja": ..., "en": ...}).
CREATE TABLE recipient_fields (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    kind TEXT NOT NULL CHECK (kind IN ('name', 'kana', 'phone', 'text', 'number', 'choice', 'yes_no')),
    label_ja TEXT NOT NULL DEFAULT '',
    label_en TEXT NOT NULL DEFAULT '',
    help_ja TEXT NOT NULL DEFAULT '',
    help_en TEXT NOT NULL DEFAULT '',
    choices TEXT NOT NULL DEFAULT '[]',
    requirement TEXT NOT NULL DEFAULT 'required' CHECK (requirement IN ('optional', 'required', 'first')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX recipient_fields_by_tenant ON recipient_fields (tenant_id, position);
CREATE UNIQUE INDEX recipient_fields_one_builtin ON recipient_fields (tenant_id, kind)
    WHERE kind IN ('name', 'kana', 'phone');

-- What each person answered to the municipality's own fields, written with the person in
-- the same INSERT (no extra statement when a booking is confirmed). Each answer carries
-- the label and choice wording it was given under, so a field changed or deleted later
-- leaves old bookings readable. A JSON list; '[]' when there is nothing.
ALTER TABLE booking_people ADD COLUMN answers TEXT NOT NULL DEFAULT '[]';

-- Today's setting, "name,kana,phone" or a part of it, becomes the three rows with the
-- meaning it had: a listed field is asked (name and kana required, the phone number for
-- the first person), an unlisted one is not.
INSERT INTO recipient_fields (tenant_id, kind, requirement, active, position, created_at, updated_at)
SELECT id, 'name', 'required',
       (',' || REPLACE(recipient_fields, ' ', '') || ',') LIKE '%,name,%', 0, created_at, created_at
FROM tenants;
INSERT INTO recipient_fields (tenant_id, kind, requirement, active, position, created_at, updated_at)
SELECT id, 'kana', 'required',
       (',' || REPLACE(recipient_fields, ' ', '') || ',') LIKE '%,kana,%', 0, created_at, created_at
FROM tenants;
INSERT INTO recipient_fields (tenant_id, kind, requirement, active, position, created_at, updated_at)
SELECT id, 'phone', 'first',
       (',' || REPLACE(recipient_fields, ' ', '') || ',') LIKE '%,phone,%', 0, created_at, created_at
FROM tenants;
ALTER TABLE tenants DROP COLUMN recipient_fields;
