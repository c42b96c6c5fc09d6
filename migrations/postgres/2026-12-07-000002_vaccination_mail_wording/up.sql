-- メールの文面 of the vaccination mails (vx_*): the same table, its list of mails widened.
ALTER TABLE mail_templates DROP CONSTRAINT mail_templates_mail_check;
ALTER TABLE mail_templates ADD CONSTRAINT mail_templates_mail_check CHECK (mail IN (
    'verification', 'booking_confirmed', 'booking_changed', 'booking_cancelled',
    'vx_verification', 'vx_booking_confirmed', 'vx_booking_changed', 'vx_booking_cancelled'));
