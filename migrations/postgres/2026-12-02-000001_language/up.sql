-- The resident's language (ja, en): the address check mail goes out in the language of
-- the page it was asked from, and the booking's mails (completion, change, cancellation,
-- resends, also when a clerk acts) in the language it was booked in. Rows from before
-- were all Japanese.
ALTER TABLE email_verifications ADD COLUMN lang TEXT NOT NULL DEFAULT 'ja';
ALTER TABLE bookings ADD COLUMN lang TEXT NOT NULL DEFAULT 'ja';
