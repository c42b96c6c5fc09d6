-- メールの文面: a municipality's own subject and body for one mail in one language, edited on
-- the console. A NULL part is the shipped one (mail_templates/), so a municipality that only
-- changes a subject keeps the shipped text and HTML. No row: the shipped mail. The body is
-- the plain-text part; the HTML part is built from it (see src/mail/templates.rs).
CREATE TABLE mail_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    mail TEXT NOT NULL CHECK (mail IN ('verification', 'booking_confirmed', 'booking_changed', 'booking_cancelled')),
    lang TEXT NOT NULL CHECK (lang IN ('ja', 'en')),
    subject TEXT,
    body TEXT,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX mail_templates_one_per_mail ON mail_templates (tenant_id, mail, lang);
