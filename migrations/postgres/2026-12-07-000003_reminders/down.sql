DELETE FROM mail_templates WHERE mail IN ('reminder', 'vx_reminder');
ALTER TABLE mail_templates DROP CONSTRAINT mail_templates_mail_check;
ALTER TABLE mail_templates ADD CONSTRAINT mail_templates_mail_check CHECK (mail IN (
    'verification', 'booking_confirmed', 'booking_changed', 'booking_cancelled',
    'vx_verification', 'vx_booking_confirmed', 'vx_booking_changed', 'vx_booking_cancelled'));
DROP INDEX bookings_by_day;
ALTER TABLE bookings DROP COLUMN timed_at;
DROP TABLE reminders;
DROP TABLE reminder_rules;
CREATE TABLE reminders (
    id BIGSERIAL PRIMARY KEY,
    booking_id BIGINT NOT NULL REFERENCES bookings(id),
    channel TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    sent_at BIGINT,
    UNIQUE (booking_id, channel)
);
