-- The picture a mail's HTML part shows inline (multipart/related, "cid:"): the QR code of
-- the receipt number in the completion mail. Stored as composed, with the text and HTML
-- beside it, so that every retry sends the same mail; NULL for mails without one.
ALTER TABLE mail_outbox ADD COLUMN inline_png BYTEA;
