DELETE FROM mail_templates WHERE mail IN ('reminder', 'vx_reminder');
CREATE TABLE mail_templates_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    mail TEXT NOT NULL CHECK (mail IN ('verification', 'booking_confirmed', 'booking_changed', 'booking_cancelled',
        'vx_verification', 'vx_booking_confirmed', 'vx_booking_changed', 'vx_booking_cancelled')),
    lang TEXT NOT NULL CHECK (lang IN ('ja', 'en')),
    subject TEXT,
    body TEXT,
    updated_at BIGINT NOT NULL
);
INSERT INTO mail_templates_new (id, tenant_id, mail, lang, subject, body, updated_at)
    SELECT id, tenant_id, mail, lang, subject, body, updated_at FROM mail_templates;
DROP TABLE mail_templates;
ALTER TABLE mail_templates_new RENAME TO mail_templates;
CREATE UNIQUE INDEX mail_templates_one_per_mail ON mail_templates (tenant_id, mail, lang);
DROP INDEX bookings_by_day;
ALTER TABLE bookings DROP COLUMN timed_at;
DROP TABLE reminders;
DROP TABLE reminder_rules;
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id BIGINT NOT NULL REFERENCES bookings(id),
    channel TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    sent_at BIGINT,
    UNIQUE (booking_id, channel)
);
