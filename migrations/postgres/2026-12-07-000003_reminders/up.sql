-- Reminders (issue 13): each service's list of "N days before at HH:MM", and one row per
-- reminder queued, so a booking gets each reminder once for each time it is booked for.
-- The foundation's placeholder `reminders` table was never written; it is replaced.
DROP TABLE reminders;
CREATE TABLE reminder_rules (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    days_before INTEGER NOT NULL CHECK (days_before BETWEEN 0 AND 14),
    at_min INTEGER NOT NULL CHECK (at_min BETWEEN 0 AND 1439),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    UNIQUE (service_id, days_before, at_min)
);
-- Every service starts with the seed's reminder: the day before at 12:00.
INSERT INTO reminder_rules (tenant_id, service_id, days_before, at_min, active, created_at)
    SELECT tenant_id, id, 1, 720, TRUE, 0 FROM services;
-- Keyed by the rule's moment rather than its id: a rule deleted and added again does not
-- remind a booking twice. `visit_at` is the start of the visit reminded of: a booking moved
-- to another time is reminded of the new one.
CREATE TABLE reminders (
    id BIGSERIAL PRIMARY KEY,
    booking_id BIGINT NOT NULL REFERENCES bookings(id),
    days_before INTEGER NOT NULL,
    at_min INTEGER NOT NULL,
    visit_at BIGINT NOT NULL,
    channel TEXT NOT NULL,
    queued_at BIGINT NOT NULL,
    UNIQUE (booking_id, days_before, at_min, visit_at)
);
-- When the booking got its present time (made or moved): a reminder whose moment had
-- passed by then is not sent (the completion or change mail has just said it all).
ALTER TABLE bookings ADD COLUMN timed_at BIGINT NOT NULL DEFAULT 0;
UPDATE bookings SET timed_at = created_at;
CREATE INDEX bookings_by_day ON bookings (service_id, day, status);

-- The reminder mails are worded under メールの文面 too.
ALTER TABLE mail_templates DROP CONSTRAINT mail_templates_mail_check;
ALTER TABLE mail_templates ADD CONSTRAINT mail_templates_mail_check CHECK (mail IN (
    'verification', 'booking_confirmed', 'booking_changed', 'booking_cancelled', 'reminder',
    'vx_verification', 'vx_booking_confirmed', 'vx_booking_changed', 'vx_booking_cancelled',
    'vx_reminder'));
