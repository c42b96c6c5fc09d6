DELETE FROM mail_templates WHERE mail LIKE 'vx\_%';
ALTER TABLE mail_templates DROP CONSTRAINT mail_templates_mail_check;
ALTER TABLE mail_templates ADD CONSTRAINT mail_templates_mail_check CHECK (mail IN (
    'verification', 'booking_confirmed', 'booking_changed', 'booking_cancelled'));
