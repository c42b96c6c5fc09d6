-- Back to the card-pickup mails only; the vaccination wordings are dropped.
-- SQLite cannot change a CHECK in place: the table is copied into one with the new list.
CREATE TABLE mail_templates_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    mail TEXT NOT NULL CHECK (mail IN ('verification', 'booking_confirmed', 'booking_changed', 'booking_cancelled')),
    lang TEXT NOT NULL CHECK (lang IN ('ja', 'en')),
    subject TEXT,
    body TEXT,
    updated_at BIGINT NOT NULL
);
INSERT INTO mail_templates_new (id, tenant_id, mail, lang, subject, body, updated_at)
    SELECT id, tenant_id, mail, lang, subject, body, updated_at FROM mail_templates WHERE mail NOT LIKE 'vx\_%' ESCAPE '\';
DROP TABLE mail_templates;
ALTER TABLE mail_templates_new RENAME TO mail_templates;
CREATE UNIQUE INDEX mail_templates_one_per_mail ON mail_templates (tenant_id, mail, lang);
