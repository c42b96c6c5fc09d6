ALTER TABLE bookings DROP COLUMN lang;
ALTER TABLE email_verifications DROP COLUMN lang;
